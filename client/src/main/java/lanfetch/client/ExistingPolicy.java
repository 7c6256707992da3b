package lanfetch.client;

/** What to do when the final local name already exists. */
public enum ExistingPolicy {
  /** Report the file as failed (EXISTS) and leave the existing file alone. The default. */
  FAIL,
  /** Replace it atomically; a symbolic link is replaced itself, never followed. */
  OVERWRITE,
  /** Leave it and report the file as skipped. */
  SKIP
}
