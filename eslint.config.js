// Keeps the dependency arrows of docs/architecture.md honest, plus a small set of correctness rules.
import tseslint from "typescript-eslint";

const restrict = (patterns) => ({ "no-restricted-imports": ["error", { patterns }] });
const grp = (group, message) => ({ group, message });

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", "reports/**", "tmp/**", "test/codegen/.out-*/**", "**/expected/**"] },
  {
    files: ["**/*.ts"],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 2022, sourceType: "module" } },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "no-debugger": "error",
      "no-var": "error",
      "prefer-const": "error",
      eqeqeq: ["error", "always", { null: "ignore" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["generated/**/*.ts"],
    rules: restrict([grp(["**/src/transport/**", "**/src/device/**", "**/src/codegen/**", "**/conformance/**"], "generated code depends only on src/runtime")]),
  },
  {
    files: ["src/runtime/**/*.ts"],
    rules: restrict([grp(["**/transport/**", "**/device/**", "**/codegen/**", "**/generated/**", "**/conformance/**"], "the runtime depends on nothing of ours")]),
  },
  {
    files: ["src/transport/**/*.ts"],
    rules: restrict([grp(["**/device/**", "**/codegen/**", "**/generated/**", "**/conformance/**"], "transports depend only on src/runtime")]),
  },
  {
    files: ["src/codegen/**/*.ts"],
    rules: restrict([grp(["**/runtime/**", "**/transport/**", "**/device/**", "**/generated/**", "**/conformance/**"], "the compiler depends on none of the runtime, device or suite")]),
  },
  {
    files: ["src/device/**/*.ts"],
    rules: restrict([grp(["**/transport/**", "**/codegen/**", "**/conformance/**"], "the device is its own module: runtime and generated descriptors only")]),
  },
  {
    files: ["conformance/**/*.ts"],
    rules: restrict([grp(["**/src/device/**", "**/codegen/**"], "the suite reaches devices only over the wire; the composition root (src/cli.ts, src/embedded-targets.ts) starts the built-in one")]),
  },
  {
    files: ["examples/**/*.ts"],
    rules: restrict([grp(["../*", "**/src/**", "**/generated/**", "**/conformance/**"], "examples use the package's public entries (pacs-conformance, pacs-conformance/clients/<prefix>, /device, /suite), as users do")]),
  },
);
