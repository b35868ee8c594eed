/**
 * The browser test (`npm run test:browser`): headless Chromium opens the HTML report. Kept out of
 * `npm test` (jest.config.js matches *.test.ts only), so that `npm test` needs no browser.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test/browser"],
  testMatch: ["**/*.browser.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
  },
  testTimeout: 120000,
};
