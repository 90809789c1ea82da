package dev.trailquery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/jdk.sh}, which the launcher sources before every command (in plain bash, without a
 * subprocess): which JDK it chooses and the build name it gives the start-up caches. Fake JDK homes
 * (a {@code release} file and two executables), so the choice does not depend on what this machine
 * has installed: their major version 99 is above any real one.
 */
class JdkScriptTest {
  static final Path SCRIPT = Path.of("..", "scripts", "jdk.sh").toAbsolutePath().normalize();

  @TempDir Path tmp;

  Path fakeJdk(Path home, String release) throws IOException {
    Files.createDirectories(home.resolve("bin"));
    for (String tool : List.of("java", "javac")) {
      Path p = home.resolve("bin").resolve(tool);
      Files.writeString(p, "#!/bin/sh\nexit 1\n");
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.writeString(home.resolve("release"), release);
    return home;
  }

  /** Runs tq_find_jdk with this environment; returns "exit|JAVA_HOME|TQ_JAVA_BUILD". */
  String find(Map<String, String> env) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            "bash",
            "-c",
            ". \"$1\"; tq_find_jdk 2>/dev/null; rc=$?; echo \"$rc|${JAVA_HOME:-}|${TQ_JAVA_BUILD:-}\"",
            "jdk-test",
            SCRIPT.toString());
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.environment().put("HOME", tmp.resolve("home").toString());
    pb.environment().putAll(env);
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void aJavaHomeOfVersion25OrNewerIsTakenAsItIsAndNamesItsBuild() throws Exception {
    Path home =
        fakeJdk(
            tmp.resolve("jdk-a"),
            "IMPLEMENTOR=\"Test\"\nJAVA_RUNTIME_VERSION=\"99.0.1+7-LTS\"\nJAVA_VERSION=\"99.0.1\"\n");
    assertThat(find(Map.of("JAVA_HOME", home + "/"))).isEqualTo("0|" + home + "|99.0.1_7-LTS");
  }

  @Test
  void anOlderJavaHomeIsPassedOverForTheHighestInstalledVersion() throws Exception {
    Path old = fakeJdk(tmp.resolve("jdk-24"), "JAVA_VERSION=\"24.0.2\"\n");
    Path jdks = tmp.resolve("home/.jdks");
    fakeJdk(jdks.resolve("a-98"), "JAVA_VERSION=\"98\"\nJAVA_RUNTIME_VERSION=\"98+1\"");
    Path newest =
        fakeJdk(jdks.resolve("b-99"), "JAVA_VERSION=\"99.0.3\"\nJAVA_RUNTIME_VERSION=\"99.0.3+2\"");
    fakeJdk(jdks.resolve("c-30"), "JAVA_VERSION=\"30\"\n"); // no build: the major names it
    // a symbolic link to a JDK is skipped (its target is listed anyway)
    Files.createSymbolicLink(jdks.resolve("z-link"), newest);
    assertThat(find(Map.of("JAVA_HOME", old.toString()))).isEqualTo("0|" + newest + "|99.0.3_2");
  }

  @Test
  void aBuildNameKeepsOnlyCharactersSafeInAFileName() throws Exception {
    Path home =
        fakeJdk(
            tmp.resolve("jdk-b"),
            "JAVA_VERSION=\"99\"\nJAVA_RUNTIME_VERSION=\"99+1 b/../x \\\"y\\\"\"\n");
    assertThat(find(Map.of("JAVA_HOME", home.toString())))
        .matches("0\\|" + home + "\\|[A-Za-z0-9._-]+")
        .doesNotContain("/..");
  }

  @Test
  void aHomeWithoutJavacIsNotAJdk() throws Exception {
    Path home = fakeJdk(tmp.resolve("jre"), "JAVA_VERSION=\"99\"\n");
    Files.delete(home.resolve("bin/javac"));
    String found = find(Map.of("JAVA_HOME", home.toString()));
    assertThat(found).doesNotContain("|" + home + "|");
  }
}
