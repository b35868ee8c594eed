/**
 * jest `globalSetup`: creates the Python environments of the Python behaviour tests before any test
 * runs (once; later runs find them in `.cache/python/`), so tests only look them up with `pythonFor`.
 */
import { ensurePythonEnvs } from "./python-env";

export default async function globalSetup(): Promise<void> {
  await ensurePythonEnvs((line) => process.stderr.write(`${line}\n`));
}
