# {{jreleaserCreationStamp}}
# Homebrew formula for the java-archive (jreleaser.yml, distributions.gateway.brew): bin/gateway runs on the
# Homebrew JDK that it depends on, through JAVA_HOME.
class {{brewFormulaName}} < Formula
  desc "API gateway configured by one hot-reloaded YAML file"
  homepage "{{projectLinkHomepage}}"
  url "{{distributionUrl}}"
  version "{{projectVersion}}"
  sha256 "{{distributionChecksumSha256}}"
  {{#projectLicense}}
  license "{{.}}"
  {{/projectLicense}}

  {{#brewDependencies}}
  depends_on {{.}}
  {{/brewDependencies}}

  def install
    libexec.install Dir["*"]
    (bin/"gateway").write_env_script libexec/"bin/gateway",
      Language::Java.overridable_java_home_env("{{distributionJavaVersion}}")
    bash_completion.install libexec/"share/bash-completion/completions/gateway"
  end

  test do
    assert_match "gateway {{projectVersion}}", shell_output("#{bin}/gateway --version")
    system bin/"gateway", "validate", "--config", libexec/"gateway.yaml.example"
  end
end
