/**
 * Runs espeak-ng / ffmpeg as a child process with an argument array (never a shell), with a time
 * limit; a failure carries the tool's last stderr line, never the whole output.
 */
import { execFile } from 'node:child_process';

export function runTool(bin: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024, windowsHide: true }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const last = String(stderr).trim().split('\n').pop() ?? '';
      reject(new Error(`${bin} failed${last ? `: ${last}` : ''}`));
    });
  });
}
