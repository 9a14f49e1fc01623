// Reading a file a user names without trusting it: a spec, an API document or a file its $refs name.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

export type Read =
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'too-large'; size: number | undefined }
  | { kind: 'not-a-file'; what: string };

/**
 * Reads up to `limit` bytes of a regular file. Opened without blocking, so a FIFO (which would
 * wait for a writer forever) or a device is found out by fstat and refused instead of read; a file
 * that grows while read is still cut at the limit.
 */
export async function readAtMost(file: string, limit: number): Promise<Read> {
  // O_NONBLOCK is POSIX; where it is missing (Windows) there are no FIFOs to wait on either.
  const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { kind: 'not-a-file', what: 'a directory' };
    if (!info.isFile()) {
      const kind = info.isFIFO()
        ? 'a FIFO (named pipe)'
        : info.isSocket()
          ? 'a socket'
          : info.isCharacterDevice() || info.isBlockDevice()
            ? 'a device'
            : 'not a regular file';
      return { kind: 'not-a-file', what: kind };
    }
    if (info.size > limit) return { kind: 'too-large', size: info.size };
    // Chunks as large as the file says it is (a little more, to notice one that grew), so a build
    // of many small specs does not hold a megabyte for each.
    const chunkSize = Math.min(info.size + 1, limit + 1);
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= limit) {
      const chunk = Buffer.alloc(Math.max(chunkSize, 1));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    if (length > limit) return { kind: 'too-large', size: undefined };
    return { kind: 'bytes', bytes: Buffer.concat(chunks, length) };
  } finally {
    await handle.close();
  }
}
