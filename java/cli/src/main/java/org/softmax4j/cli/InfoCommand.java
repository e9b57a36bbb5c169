package org.softmax4j.cli;

import java.io.PrintWriter;
import java.util.Map;

import org.bytedeco.javacpp.Loader;
import org.softmax4j.NativeInfo;
import org.softmax4j.NativeUnavailableException;
import org.softmax4j.Softmax;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code info}: which backend runs, and what the native library found, or why it failed. */
@Command(name = "info", mixinStandardHelpOptions = true, customSynopsis = "softmax4j info",
        description = "Show the backend in use, the native library's status, CPU features, threads and versions.")
final class InfoCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        print(spec.commandLine().getOut());
    }

    static void print(PrintWriter out) {
        Softmax s = Softmax.get();
        out.println(new Main.Version().getVersion()[0]);
        out.printf("backend in use:    %s%n", s.backend().name().toLowerCase());
        out.printf("platform:          %s%n", Loader.getPlatform());
        try {
            NativeInfo i = Softmax.nativeInfo();
            out.printf("native library:    loaded from %s%n", loadedFrom());
            out.printf("core version:      %s%n", i.version());
            out.printf("kernels:           %s%n", i.kernels());
            out.printf("transport:         %s%n", i.transport());
            out.printf("CPU features:      %s%n", i.cpuFeatures().isEmpty() ? "(none detected)" : i.cpuFeatures());
            out.printf("OpenMP threads:    %d (OpenMP %d)%n", i.threads(), i.openmpVersion());
            out.printf("thread policy:     %s%n", i.threadPolicy());
            out.printf("OpenBLAS threads:  %d%n", i.blasThreads());
            out.printf("OpenBLAS:          %s%n", i.blasConfig().strip());
        } catch (NativeUnavailableException e) {
            out.printf("native library:    %s%n", Main.oneLine(e));
        }
        out.printf("JavaCPP:           %s (platform %s)%n", javacppVersion(),
                Loader.getPlatform());
        out.printf("Java:              %s %s (%s)%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), System.getProperty("java.vendor"));
        out.printf("OS:                %s %s %s, %d processors%n", System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors());
    }

    private static String javacppVersion() {
        try {
            return Loader.getVersion();
        } catch (java.io.IOException e) {
            return "(unknown version)";
        }
    }

    private static String loadedFrom() {
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            if (e.getKey().contains("jnisoftmax4j")) return e.getValue();
        }
        return "(unknown path)";
    }
}
