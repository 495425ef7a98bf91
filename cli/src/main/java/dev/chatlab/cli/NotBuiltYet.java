package dev.chatlab.cli;

import java.util.concurrent.Callable;

/** A subcommand whose engine has not landed yet: it says so plainly and exits 2. */
abstract class NotBuiltYet implements Callable<Integer> {

    private final String what;

    NotBuiltYet(String what) {
        this.what = what;
    }

    @Override
    public Integer call() {
        System.err.println("chatlab: " + what + " is not built yet in this version of chatlab.");
        return Chatlab.BAD_INPUT;
    }
}
