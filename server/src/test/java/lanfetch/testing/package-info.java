/**
 * Test fixtures that know no module's policy, shared by every module's tests through the server's
 * test-jar: deterministic files and digests ({@link lanfetch.testing.TestFiles}) and a loopback
 * proxy that cuts, stalls or dribbles a connection ({@link lanfetch.testing.FaultProxy}). Fixtures
 * built on the server (TestClient, Servers, RecordingLog, ServerExtension) stay in {@code
 * lanfetch.server}, beside what they use.
 */
package lanfetch.testing;
