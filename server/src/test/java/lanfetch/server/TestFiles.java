package lanfetch.server;

/**
 * The older name of {@link lanfetch.testing.TestFiles}, kept so that tests written against it on
 * branches in flight still compile; new tests use {@code lanfetch.testing.TestFiles}.
 */
public final class TestFiles extends lanfetch.testing.TestFiles {
  private TestFiles() {}
}
