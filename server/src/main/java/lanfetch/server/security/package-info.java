/**
 * Internal: secrets and their policy. The access token (compared in constant time), token files and
 * the TLS key (owner-only, refused when others can read them), the self-signed key created on first
 * start, and the delay that slows down token guessing.
 *
 * <p>It knows nothing of sockets or requests: {@code net} asks it whether a token matches and how
 * long to hold a refusal; it must not depend on {@code net}, {@code files} or {@code cli}.
 */
package lanfetch.server.security;
