/**
 * Encodes PNG frames into a video with the system's `ffmpeg` (Debian's package; scripts/setup.sh
 * installs it): the frames are piped to it (`-f image2pipe`), the container and codec follow the
 * output's extension.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';

/** Output extensions `gripgen render` writes, and the ffmpeg arguments for each. */
export const VIDEO_CODECS: Readonly<Record<string, readonly string[]>> = {
  // H.264 in yuv420p plays everywhere (browsers, players); faststart puts the index first for the web.
  '.mp4': ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-movflags', '+faststart'],
  '.webm': ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '0', '-crf', '36', '-pix_fmt', 'yuv420p'],
  // A palette computed from the frames themselves: far fewer banding artefacts than the default one.
  '.gif': ['-filter_complex', '[0:v]split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer'],
};

/** The extensions of {@link VIDEO_CODECS}. */
export const VIDEO_EXTENSIONS: readonly string[] = Object.keys(VIDEO_CODECS);

/** How to get ffmpeg when it is missing. */
export const FFMPEG_INSTALL_HINT = 'install it with `sudo apt-get install ffmpeg` (Debian/Ubuntu; `npm run setup` does it) or put an ffmpeg binary on PATH, or name it with $FFMPEG';

/** The ffmpeg executable: `$FFMPEG`, else `ffmpeg` on PATH. */
export function ffmpegPath(env: Record<string, string | undefined> = process.env): string {
  return env.FFMPEG || 'ffmpeg';
}

/** The extension of `out` (lower case) if it is one of {@link VIDEO_EXTENSIONS}; otherwise throws naming the allowed ones. */
export function videoExtension(out: string): string {
  const ext = extname(out).toLowerCase();
  if (!VIDEO_EXTENSIONS.includes(ext)) {
    throw new Error(`--out ${out}: the video format follows the extension, one of ${VIDEO_EXTENSIONS.join(', ')}; got "${ext || '(none)'}"`);
  }
  return ext;
}

/**
 * Resolves with ffmpeg's version line; rejects with a message saying how to install it when it
 * cannot be run.
 */
export function checkFfmpeg(executable = ffmpegPath()): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, ['-hide_banner', '-version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.on('error', (error) => reject(new Error(`cannot run ffmpeg (${executable}: ${(error as NodeJS.ErrnoException).code ?? error.message}); ${FFMPEG_INSTALL_HINT}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(out.split('\n')[0]);
      else reject(new Error(`${executable} -version exited with ${code}; ${FFMPEG_INSTALL_HINT}`));
    });
  });
}

/** A running ffmpeg taking PNG frames on its stdin. */
export interface VideoEncoder {
  /** Queues one PNG frame (waits while ffmpeg's pipe is full). */
  write(png: Uint8Array): Promise<void>;
  /** Closes the input and waits for ffmpeg to write the file; rejects with ffmpeg's messages if it failed. */
  finish(): Promise<void>;
  /** Stops ffmpeg without finishing the file. */
  abort(): void;
}

/** Starts ffmpeg writing `out` (format from its extension) at `fps` frames per second. */
export function startVideoEncoder(out: string, fps: number, executable = ffmpegPath()): VideoEncoder {
  const codec = VIDEO_CODECS[videoExtension(out)];
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'image2pipe', '-framerate', String(fps), '-c:v', 'png', '-i', '-', ...codec, out];
  const child: ChildProcess = spawn(executable, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  let failure: Error | undefined;
  const closed = new Promise<void>((resolve) => {
    child.on('error', (error) => {
      failure ??= new Error(`cannot run ffmpeg (${executable}: ${(error as NodeJS.ErrnoException).code ?? error.message}); ${FFMPEG_INSTALL_HINT}`);
      resolve();
    });
    child.on('close', (code, signal) => {
      if (code !== 0) failure ??= new Error(`ffmpeg failed writing ${out} (${signal ?? `exit ${code}`}): ${stderr.trim() || 'no message'}`);
      resolve();
    });
  });
  const stdin = child.stdin!;
  // A write after ffmpeg died reports EPIPE: the close handler has the real reason.
  stdin.on('error', () => undefined);
  return {
    async write(png) {
      if (failure) throw failure;
      if (!stdin.write(png)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            stdin.off('drain', done);
            child.off('close', done);
            resolve();
          };
          stdin.once('drain', done);
          child.once('close', done);
        });
      }
      if (failure) throw failure;
    },
    async finish() {
      stdin.end();
      await closed;
      if (failure) throw failure;
    },
    abort() {
      stdin.destroy();
      child.kill('SIGKILL');
    },
  };
}
