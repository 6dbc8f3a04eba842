/**
 * Reading a secret from the terminal without echo (`mambu apikey rotate` asks for the secret key this way when
 * no file or environment variable gives it): the terminal is put in raw mode, the typed characters are not
 * printed, Backspace erases, Enter ends, Ctrl-C or Ctrl-D on an empty line cancels.
 */

/** A terminal input (process.stdin on a TTY). */
export interface HiddenInput extends NodeJS.EventEmitter {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  resume(): unknown;
  pause(): unknown;
  setEncoding?(enc: BufferEncoding): unknown;
  unshift?(chunk: string): void;
}

/** Longest answer read (a Mambu key is 32 characters). */
export const MAX_HIDDEN_ANSWER = 4096;

/**
 * Shows `question` on `prompt` and reads one line from `input` without echoing it. Resolves to the line, or to
 * undefined when cancelled (Ctrl-C, Ctrl-D on an empty line, end of input).
 * @throws Error when `input` is not a terminal (raw mode unavailable).
 */
export function readHidden(question: string, input: HiddenInput, prompt: NodeJS.WritableStream): Promise<string | undefined> {
  if (!input.isTTY || typeof input.setRawMode !== "function") throw new Error("no terminal to read a hidden answer from");
  // No echo first, then the question: what is typed once the question shows is never echoed.
  input.setRawMode(true);
  prompt.write(question);
  input.setEncoding?.("utf8");
  input.resume();
  return new Promise((resolve) => {
    let answer = "";
    const finish = (value: string | undefined): void => {
      input.removeListener("data", onData);
      input.removeListener("end", onEnd);
      input.setRawMode!(false);
      input.pause();
      prompt.write("\n");
      resolve(value);
    };
    const onEnd = (): void => finish(undefined);
    const onData = (chunk: string | Buffer): void => {
      const chars = [...String(chunk)];
      for (let i = 0; i < chars.length; i++) {
        const ch = chars[i];
        if (ch === "\r" || ch === "\n") {
          finish(answer);
          // What was typed ahead after Enter (the answer to the next question) is read by the next reader.
          const rest = chars.slice(i + 1).join("").replace(/^\n/, "");
          if (rest) input.unshift?.(rest);
          return;
        }
        if (ch === "\u0003" || (ch === "\u0004" && answer === "")) return finish(undefined);
        if (ch === "\u007f" || ch === "\b") answer = answer.slice(0, -1);
        else if (ch >= " " && answer.length < MAX_HIDDEN_ANSWER) answer += ch;
      }
    };
    input.on("data", onData);
    input.on("end", onEnd);
  });
}
