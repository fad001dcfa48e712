package dev.gateway.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gateway completion}: prints a bash completion script (zsh loads it through bashcompinit) for every command. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for gateway's commands and options.",
                "bash reads it as it is; zsh after `autoload -U +X bashcompinit && bashcompinit`."},
        footer = {"", "Examples:", "  source <(gateway completion)                   # this bash session",
                "  gateway completion > ~/.local/share/bash-completion/completions/gateway   # every new bash",
                "  autoload -U +X bashcompinit && bashcompinit && source <(gateway completion)   # zsh, in ~/.zshrc"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("gateway", spec.root().commandLine()));
        out.flush();
        return 0;
    }
}
