@echo off
rem bin\gateway.bat of the java-archive (jreleaser.yml): runs lib\gateway-dist.jar on %JAVA_HOME%\bin\java.exe,
rem else the java on PATH (21 or newer). GATEWAY_JAVA_OPTS replaces the default JVM options.
setlocal
set "APP_HOME=%~dp0.."
set "JAVA_EXE=java.exe"
if defined JAVA_HOME set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
if defined JAVA_HOME if not exist "%JAVA_EXE%" (
  echo gateway: JAVA_HOME is set to "%JAVA_HOME%", which has no bin\java.exe 1>&2
  exit /b 1
)
set "OPTS=%GATEWAY_JAVA_OPTS%"
if "%OPTS%"=="" set "OPTS=-XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=4"
"%JAVA_EXE%" %OPTS% -jar "%APP_HOME%\lib\gateway-dist.jar" %*
exit /b %ERRORLEVEL%
