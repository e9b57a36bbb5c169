package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every relative link of the repository's Markdown files reaches a file of this
 * repository, and every {@code #anchor} a heading of its target: a clone must be readable on its
 * own (a link to {@code ../shared/...} works in one checkout and nowhere else).
 */
class DocLinksTest {

    /** [text](target) and ![alt](target); the target ends at the first space or closing parenthesis. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

    /** The text outside code: fenced blocks, indented blocks and inline code removed (their brackets are not links). */
    static String prose(String markdown) {
        return outsideBlocks(markdown).replaceAll("`[^`\n]*`", "``");
    }

    /** The text outside fenced and indented code blocks (whose lines are left empty). */
    static String outsideBlocks(String markdown) {
        StringBuilder sb = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.lines().toList()) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                sb.append('\n');
                continue;
            }
            if (fenced || line.startsWith("    ")) {
                sb.append('\n');
                continue;
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens; repeats get -1, -2, ... */
    static Set<String> anchors(String markdown) {
        Set<String> result = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : outsideBlocks(markdown).lines().toList()) {
            Matcher h = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$").matcher(line);
            if (!h.find()) continue;
            String text = h.group(1).replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1"); // a link's text only
            String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}_ -]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            result.add(n == 0 ? slug : slug + "-" + n);
        }
        return result;
    }

    /** The broken links of one document, as "file: target (why)". */
    static List<String> brokenLinks(Path root, Path doc) throws IOException {
        List<String> broken = new ArrayList<>();
        String name = root.relativize(doc).toString();
        Matcher m = LINK.matcher(prose(Files.readString(doc)));
        while (m.find()) {
            String target = m.group(1);
            if (target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) continue; // https:, mailto:, ...
            int hash = target.indexOf('#');
            String file = hash < 0 ? target : target.substring(0, hash);
            String anchor = hash < 0 ? null : target.substring(hash + 1);
            Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
            if (!resolved.startsWith(root)) {
                broken.add(name + ": " + target + " (outside the repository)");
            } else if (!Files.exists(resolved)) {
                broken.add(name + ": " + target + " (no such file)");
            } else if (anchor != null && resolved.toString().endsWith(".md")
                    && !anchors(Files.readString(resolved)).contains(anchor)) {
                broken.add(name + ": " + target + " (no heading #" + anchor + " in " + root.relativize(resolved) + ")");
            }
        }
        return broken;
    }

    @Test
    void everyRelativeLinkReachesAFileAndHeadingOfTheRepository() throws IOException {
        Path root = DocSnippetsTest.repositoryRoot();
        List<String> broken = new ArrayList<>();
        List<Path> docs;
        try (var files = Files.walk(root)) {
            // Every Markdown file of the sources, wherever it is; not build output or VCS data.
            docs = files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !root.relativize(p).toString().matches("(.*/)?(target|\\.git|\\.cifuzz-corpus)(/.*)?"))
                    .sorted().toList();
        }
        assertTrue(docs.contains(root.resolve("README.md")), docs::toString);
        for (Path doc : docs) broken.addAll(brokenLinks(root, doc));
        assertEquals(List.of(), broken, () -> "broken links:\n" + String.join("\n", broken));
    }

    @Test
    void anchorsFollowGitHub() {
        String md = String.join("\n", "# softmax4j", "## What can I do with it?", "### Accuracy", "## Reliability",
                "### Accuracy", "### Issues found by this testing, fixed", "### Two classes (property 7)",
                "## `Batch` views", "```", "# not a heading", "```");
        assertEquals(List.of("softmax4j", "what-can-i-do-with-it", "accuracy", "reliability", "accuracy-1",
                "issues-found-by-this-testing-fixed", "two-classes-property-7", "batch-views"), List.copyOf(anchors(md)));
    }

    @Test
    void findsLinksThatLeaveTheRepositoryOrMissTheirTarget(@org.junit.jupiter.api.io.TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/a.md"), "# A\n## Present\n");
        Path readme = Files.writeString(root.resolve("README.md"), String.join("\n", "# R",
                "[ok](docs/a.md#present) [self](#r) [web](https://example.org/x)",
                "[out](../shared/docs/SOFTMAX.md) [gone](docs/b.md) [anchor](docs/a.md#absent)",
                "`[code](nowhere.md)`"));
        List<String> broken = brokenLinks(root, readme);
        assertEquals(3, broken.size(), broken::toString);
        assertTrue(broken.get(0).contains("outside the repository"), broken.get(0));
        assertTrue(broken.get(1).contains("no such file"), broken.get(1));
        assertTrue(broken.get(2).contains("no heading #absent"), broken.get(2));
    }
}
