package dev.chatlab.cli;

import picocli.CommandLine;

import java.util.List;
import java.util.concurrent.Callable;

/** A subcommand whose engine has not landed yet: it says so plainly, names what to use instead, and exits 2. */
abstract class NotBuiltYet implements Callable<Integer> {

    /** Whatever a user tried; taken so that they get the "not yet available" message, not a usage error. */
    @CommandLine.Unmatched
    List<String> arguments;

    private final String what;
    private final String instead;

    NotBuiltYet(String what, String instead) {
        this.what = what;
        this.instead = instead;
    }

    @Override
    public Integer call() {
        System.err.println("chatlab: " + what + " is not yet available in this version of chatlab; " + instead + ".");
        return Chatlab.BAD_INPUT;
    }
}
