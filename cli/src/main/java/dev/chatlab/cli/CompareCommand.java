package dev.chatlab.cli;

import picocli.CommandLine.Command;

/** A placeholder until the experiments work lands; it must not read as a working command. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {
            "Not yet available: exits 2. Planned: one scenario across settings, with the same seeds, compared.",
            "Until then, run each variant with chatlab run and the same --seed, and compare their summary.json files."
        })
final class CompareCommand extends NotBuiltYet {
    CompareCommand() {
        super("'chatlab compare'", "run each variant with 'chatlab run FILE --seed N' and compare their summary.json files");
    }
}
