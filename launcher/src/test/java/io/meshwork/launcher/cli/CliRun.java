package io.meshwork.launcher.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** One run of the {@code mesh} command in this JVM, with what it printed (picocli's writers and System.out/err). */
record CliRun(int exitCode, String out, String err) {

    static CliRun mesh(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new MeshCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
        try {
            int code = cli.execute(args);
            return new CliRun(code, out + capturedOut.toString(StandardCharsets.UTF_8), err + capturedErr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }
}
