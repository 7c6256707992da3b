package lanfetch.client.transfer;

import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import lanfetch.protocol.GetHeader;
import lanfetch.protocol.HashResult;

/**
 * A file whose body arrived whole, waiting for proof that the body ended where announced and
 * then for its commit.
 *
 * @param channel the part file, still open
 * @param digest the SHA-256 of everything in the part (--verify), else null
 * @param hash the server's HASH_RESULT (--verify), else null
 * @param started System.nanoTime() when its header arrived
 */
record Received(Job job, GetHeader header, FileChannel channel, MessageDigest digest, HashResult hash,
    long started) {}
