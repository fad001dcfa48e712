# syntax=docker/dockerfile:1
# The gateway as a container image: built from this source with Maven, run from its jlink image (its own trimmed
# Java runtime and the AOT cache trained on it) on a slim Debian, as an unprivileged user.
#   docker build -t gateway --build-arg GATEWAY_COMMIT="$(git rev-parse --short=8 HEAD)" .
#   docker run --rm -p 8080:8080 -v "$PWD/conf:/etc/gateway:ro" gateway
# The config is /etc/gateway/gateway.yaml: mount the folder (not the file) so that saves, editor renames and
# Kubernetes ConfigMap updates are hot-reloaded. Without a mount the image serves gateway.yaml.example. The
# HEALTHCHECK asks http://127.0.0.1:8080/health, so a mounted config listens on port 8080 (and host 0.0.0.0).

FROM maven:3.9-eclipse-temurin-25 AS build
# the commit that `gateway --version` names (the build context has no .git)
ARG GATEWAY_COMMIT=unknown
WORKDIR /src
COPY pom.xml jreleaser.yml gateway.yaml.example README.md ./
COPY scripts/ scripts/
COPY src/ src/
RUN mvn -B -q -DskipTests -Dgit.commit.id.abbrev="$GATEWAY_COMMIT" package \
 && mkdir /opt/gateway \
 && tar -xzf target/jreleaser/assemble/gateway-standalone/jlink/gateway-*.tar.gz -C /opt/gateway --strip-components=1

FROM debian:bookworm-slim
RUN useradd --system --user-group --uid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin \
      gateway \
 && mkdir -p /etc/gateway
# tar kept the files' times, which the AOT cache checks; COPY keeps them too
COPY --from=build /opt/gateway /opt/gateway
COPY gateway.yaml.example /etc/gateway/gateway.yaml
USER gateway:gateway
EXPOSE 8080
# the admin listener (metrics, readiness, admin API), when the config has `admin: { host: 0.0.0.0, port: 9090 }`
EXPOSE 9090
# bash's /dev/tcp: the slim image has no curl; 200 while serving, 503 while draining
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && read -r _ code _ <&3 && [ \"$code\" = 200 ]"]
# exec form: bin/gateway execs java, so the JVM is PID 1 and gets docker stop's SIGTERM (it drains, then exits 0)
ENTRYPOINT ["/opt/gateway/bin/gateway"]
CMD ["serve", "--config", "/etc/gateway/gateway.yaml"]
