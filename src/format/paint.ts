/**
 * Colours as a value passed to formatters: the CLI builds one from chalk (honouring --color,
 * --no-color, NO_COLOR and the terminal); machine formats and tests use `plain`.
 */
export interface Painter {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
  gray(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
  underline(text: string): string;
}

const same = (text: string): string => text;

export const plain: Painter = {
  red: same,
  green: same,
  yellow: same,
  cyan: same,
  magenta: same,
  gray: same,
  bold: same,
  dim: same,
  underline: same,
};
