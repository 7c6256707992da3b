package lanfetch.client.transfer;

import java.security.MessageDigest;
import lanfetch.client.landing.OwnedPart;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.HashResult;

/**
 * A file whose body arrived whole, waiting for proof that the body ended where announced and then
 * for its commit.
 *
 * @param part the part file, still open and locked
 * @param digest the SHA-256 of everything in the part (--verify), else null
 * @param hash the server's HASH_RESULT (--verify), else null
 * @param started System.nanoTime() when its header arrived
 */
record Received(
    Job job,
    GetHeader header,
    OwnedPart part,
    MessageDigest digest,
    HashResult hash,
    long started) {}
