/**
 * A file's text, or undefined when it cannot be read (absent, a folder, no permission): what the
 * engine asks of manifests, configs, ignore files and modules it only may find. One reader, with
 * no other dependency, so that any module (the Python ones in workers included) can load it.
 */
import * as fs from "node:fs";

export function readText(file: string, encoding: BufferEncoding = "utf8"): string | undefined {
  try {
    return fs.readFileSync(file, encoding);
  } catch {
    return undefined;
  }
}
