/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
  },
  // chalk 5 is ESM-only; jest's CommonJS runtime loads it through ts-jest.
  transformIgnorePatterns: ["/node_modules/(?!(chalk)/)"],
  testTimeout: 60000,
  // Creates the Python virtual environments (cached in .cache/python/) the Python behaviour tests run on.
  globalSetup: "<rootDir>/test/support/python-global-setup.ts",
};
