package io.amoskys.model.evaluate;

import static org.junit.jupiter.api.Assertions.fail;

import io.amoskys.api.event.FeatureVector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * scikit-learn's IsolationForest (Debian's python3-sklearn, run with /usr/bin/python3: the
 * {@code python3} on a PATH may be another one without it) through {@code src/test/python/sklearn_iforest.py}.
 * Each capture's vectors go to one CSV once; jobs name the captures to train on and to score.
 */
final class SklearnIsolationForest {
    static final String PYTHON = System.getProperty("amoskys.python", "/usr/bin/python3");
    static final Path SCRIPT = Path.of(System.getProperty("amoskys.sklearnScript", "src/test/python/sklearn_iforest.py"));

    /** One forest: trained on the rows of {@code train}, scoring those of {@code score}, captures by name. */
    record Job(String name, long seed, List<String> train, List<String> score) {}

    private final Path folder;

    /** Writes every capture's vectors (the columns of their schema, float32 values written exactly). */
    SklearnIsolationForest(Path folder, Map<String, List<FeatureVector>> vectorsByCapture) throws IOException {
        this.folder = Files.createDirectories(folder);
        for (Map.Entry<String, List<FeatureVector>> capture : vectorsByCapture.entrySet()) {
            StringBuilder csv = new StringBuilder(String.join(",", capture.getValue().get(0).schema().features())).append('\n');
            for (FeatureVector v : capture.getValue()) {
                for (int i = 0; i < v.size(); i++) {
                    // the float32 the models see, printed as the double it equals: Python reads back the same float32
                    csv.append(i == 0 ? "" : ",").append((double) (float) v.get(i));
                }
                csv.append('\n');
            }
            Files.writeString(folder.resolve(csvName(capture.getKey())), csv);
        }
    }

    /** scikit-learn's version; fails the test, saying how to install it, when it is missing. */
    static String version() {
        try {
            return python(List.of(PYTHON, "-c", "import sklearn; print(sklearn.__version__)")).strip();
        } catch (IOException | AssertionError e) {
            return fail("scikit-learn is missing for " + PYTHON + ": install Debian's python3-sklearn (apt-get install "
                    + "python3-sklearn; .ci/test does). The Isolation Forest quality comparison needs it as its reference. ("
                    + e.getMessage() + ")");
        }
    }

    /** Runs the jobs in one Python process; @return each job's scores, for its scoring captures' rows in order */
    Map<String, double[]> run(List<Job> jobs, int trees, int sampleSize) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Job job : jobs) {
            lines.add(job.name() + "\t" + job.seed() + "\t" + String.join(",", job.train().stream().map(SklearnIsolationForest::csvName).toList())
                    + "\t" + String.join(",", job.score().stream().map(SklearnIsolationForest::csvName).toList()));
        }
        Files.write(folder.resolve("jobs.tsv"), lines);
        python(List.of(PYTHON, SCRIPT.toAbsolutePath().toString(), "--trees", Integer.toString(trees), "--sample",
                Integer.toString(sampleSize), folder.toString()));
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (Job job : jobs) {
            scores.put(job.name(), Files.readAllLines(folder.resolve(job.name() + ".scores")).stream()
                    .mapToDouble(Double::parseDouble).toArray());
        }
        return scores;
    }

    private static String csvName(String capture) {
        return capture + ".csv";
    }

    /** @return what the command printed; fails with it when the command does */
    private static String python(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                fail(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            process.destroy();
        }
    }
}
