package org.tcpip4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java, as a reader copies it: every {@code ```java} block marked with
 * {@code <!-- compiled: ... -->} is a whole source file (a {@code module-info.java}, or a
 * class of package {@code com.example.app}, imports and all), and together they are one
 * module, compiled here against the module path the examples are built with. The program
 * among them runs; the coordinates the README gives for depending on the modules are those
 * of the poms and module descriptors.
 */
class ReadmeSnippetsTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path README = ROOT.resolve("README.md");
    private static final String MARK = "<!-- compiled:";
    private static final Pattern FENCE_JAVA = Pattern.compile("^```java\\s*$");
    private static final Pattern MODULE = Pattern.compile("^\\s*module\\s+([\\w.]+)\\s*\\{", Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern TYPE = Pattern.compile("^(?:public\\s+|final\\s+|abstract\\s+)*(?:class|record|interface|enum)\\s+(\\w+)",
            Pattern.MULTILINE);

    /** A block of the README: the line its code starts on, the file it is, its text. */
    record Snippet(int line, String file, String code) {
    }

    @Test
    void theMarkedSnippetsCompileAsOneModule(@TempDir Path dir) throws IOException {
        List<Snippet> snippets = markedSnippets();
        // The module descriptor and the programs of "Depending on it" and "Using it" at least.
        assertTrue(snippets.size() >= 3, "README.md has only " + snippets.size() + " blocks marked " + MARK);
        assertTrue(snippets.stream().anyMatch(s -> s.file().equals("module-info.java")),
                "no marked block of README.md is a module-info.java");
        String errors = compile(snippets, dir.resolve("src"), dir.resolve("out"));
        if (errors != null) {
            fail(errors);
        }
    }

    @Test
    void theProgramOfUsingItRuns(@TempDir Path dir) throws Exception {
        String errors = compile(markedSnippets(), dir.resolve("src"), dir.resolve("out"));
        assertEquals(null, errors);
        ModuleLayer boot = ModuleLayer.boot();
        // Modules the boot layer lacks (the Netty example's, on the test's class path) come after it.
        Path[] classPathJars = Stream.of(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(e -> e.endsWith(".jar")).map(Path::of).toArray(Path[]::new);
        Configuration config = boot.configuration().resolve(ModuleFinder.of(dir.resolve("out")),
                ModuleFinder.of(classPathJars), Set.of("com.example.app"));
        ModuleLayer.Controller controller = ModuleLayer.defineModulesWithOneLoader(config, List.of(boot),
                ClassLoader.getSystemClassLoader());
        Module app = controller.layer().findModule("com.example.app").orElseThrow();
        // The reader's module exports nothing; this test reaches its main as the launcher would.
        controller.addExports(app, "com.example.app", ReadmeSnippetsTest.class.getModule());
        Class<?> program = app.getClassLoader().loadClass("com.example.app.UdpEcho");
        // Pings between the two stacks (joins the reply: a timeout throws) and shuts the loop down.
        program.getMethod("main", String[].class).invoke(null, (Object) new String[0]);
    }

    @Test
    void theCoordinatesAreThoseOfThePoms() throws IOException {
        String readme = Files.readString(README);
        int from = readme.indexOf("## Depending on it");
        assertTrue(from >= 0, "README.md has no section \"Depending on it\"");
        String section = readme.substring(from, readme.indexOf("\n## ", from + 1));
        Matcher row = Pattern.compile("^\\| `([\\w-]+)` \\| `([\\w.]+)` \\|", Pattern.MULTILINE).matcher(section);
        int rows = 0;
        while (row.find()) {
            rows++;
            String artifactId = row.group(1);
            Path pom = ROOT.resolve(artifactId).resolve("pom.xml");
            assertTrue(Files.isRegularFile(pom), "README.md names the artifactId " + artifactId + ", which has no " + pom);
            assertTrue(Files.readString(pom).contains("<artifactId>" + artifactId + "</artifactId>"),
                    pom + " is not the artifact " + artifactId);
            Path descriptor = ROOT.resolve(artifactId).resolve("src/main/java/module-info.java");
            Matcher module = MODULE.matcher(Files.readString(descriptor));
            assertTrue(module.find(), descriptor + " declares no module");
            assertEquals(module.group(1), row.group(2), "the JPMS module of " + artifactId + " in README.md");
        }
        assertTrue(rows >= 10, "README.md's table of artifacts and modules has " + rows + " rows");
        Matcher version = Pattern.compile("<version>([^<]+)</version>").matcher(section);
        Matcher rootVersion = Pattern.compile("<artifactId>tcpip4j-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(rootVersion.find(), "the root pom's version");
        assertTrue(version.find(), "README.md's dependency gives no version");
        do {
            assertEquals(rootVersion.group(1), version.group(1), "a version in README.md's dependencies");
        } while (version.find());
    }

    /** The README's blocks marked to compile, each with the file it is. */
    static List<Snippet> markedSnippets() throws IOException {
        List<String> lines = Files.readAllLines(README);
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith(MARK)) {
                continue;
            }
            if (i + 1 >= lines.size() || !FENCE_JAVA.matcher(lines.get(i + 1)).matches()) {
                fail("README.md line " + (i + 1) + ": " + MARK + " is not followed by a ```java block");
            }
            StringBuilder code = new StringBuilder();
            int j = i + 2;
            for (; j < lines.size() && !lines.get(j).startsWith("```"); j++) {
                code.append(lines.get(j)).append('\n');
            }
            snippets.add(new Snippet(i + 3, fileOf(i + 3, code.toString()), code.toString()));
            i = j;
        }
        return snippets;
    }

    /** module-info.java, or the path of the block's top-level type under its package. */
    private static String fileOf(int line, String code) {
        Matcher pkg = PACKAGE.matcher(code);
        if (!pkg.find()) {
            if (MODULE.matcher(code).find()) {
                return "module-info.java";
            }
            fail("README.md line " + line + ": a marked block is neither a module descriptor nor in a package");
        }
        Matcher type = TYPE.matcher(code);
        if (!type.find()) {
            fail("README.md line " + line + ": a marked block declares no top-level type");
        }
        return pkg.group(1).replace('.', '/') + "/" + type.group(1) + ".java";
    }

    /** Compiles the snippets as one module; null when javac succeeds, else its output with README lines. */
    private static String compile(List<Snippet> snippets, Path src, Path out) throws IOException {
        Map<Path, Snippet> files = new LinkedHashMap<>();
        for (Snippet s : snippets) {
            Path file = src.resolve(s.file());
            Snippet before = files.put(file, s);
            if (before != null) {
                fail("README.md lines " + before.line() + " and " + s.line() + " are both " + s.file());
            }
            Files.createDirectories(file.getParent());
            Files.writeString(file, s.code());
        }
        String modulePath = System.getProperty("jdk.module.path", "");
        assertTrue(!modulePath.isEmpty(), "the tests do not run on a module path (jdk.module.path is empty)");
        // The test-only dependencies the Netty example needs (the netty module, Netty's HTTP
        // codec) reach the test on the class path; for the snippets they are modules too.
        String classPathJars = Stream.of(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(e -> e.endsWith(".jar")).collect(Collectors.joining(File.pathSeparator));
        if (!classPathJars.isEmpty()) {
            modulePath = modulePath + File.pathSeparator + classPathJars;
        }
        List<String> args = new ArrayList<>(List.of("-Xlint:all", "--module-path", modulePath, "-d", out.toString()));
        files.keySet().forEach(f -> args.add(f.toString()));
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(() -> new AssertionError("no javac in this JDK"));
        StringWriter output = new StringWriter();
        PrintWriter writer = new PrintWriter(output);
        int status = javac.run(writer, writer, args.toArray(String[]::new));
        writer.flush();
        if (status == 0) {
            return null;
        }
        StringBuilder report = new StringBuilder("README.md's Java does not compile as written:\n");
        files.forEach((file, s) -> report.append("  ").append(s.file()).append(" is the block at README.md line ")
                .append(s.line()).append('\n'));
        return report.append(output).toString();
    }
}
