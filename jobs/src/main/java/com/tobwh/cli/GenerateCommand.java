package com.tobwh.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Placeholder until the generator lands. */
@Command(name = "generate", description = "Write deterministic sample landing data.")
final class GenerateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("generator not merged yet");
    }
}
