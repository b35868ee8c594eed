/**
 * Decides what a receiver expression is: a Cohere client (and which kind), certainly not one, or
 * unknown. It follows declarations through the type checker's symbols, so the same code answers
 * inside one file (a single-file program: local scopes, imports from `cohere-ai`) and across files
 * (a ts-morph project: imports of repo modules resolve to their declarations).
 */
import { ts } from "ts-morph";
import { CLIENT_CLASSES } from "./client-classes";

export { CLIENT_CLASSES } from "./client-classes";

export type Verdict =
  | { kind: "client"; client: "v1" | "v2" }
  /** The cohere-ai module object itself (v6: `cohere.generate`). */
  | { kind: "module" }
  | { kind: "not" }
  /** Could not be settled: an import from a repo module, an untyped parameter, a call result. */
  | { kind: "unknown"; crossFile: boolean };

const NOT: Verdict = { kind: "not" };
const UNKNOWN: Verdict = { kind: "unknown", crossFile: false };
const UNKNOWN_CROSS_FILE: Verdict = { kind: "unknown", crossFile: true };

import { cohereSubpath, isCohereSpecifier, isRepoSpecifier } from "./specifier";

export { isCohereSpecifier, setCohereAliases } from "./specifier";


/** What an identifier names, after following imports and re-exports. */
type Named =
  | { kind: "cohere-export"; name: string }
  | { kind: "declaration"; node: ts.Declaration }
  | { kind: "unresolved"; crossFile: boolean }
  | { kind: "none" };

export class CohereResolver {
  private readonly verdicts = new Map<ts.Node, Verdict>();
  private readonly inProgress = new Set<ts.Node>();

  constructor(
    private readonly checker: ts.TypeChecker,
    /** True when the checker sees the other modules of the repo (ts-morph project). */
    private readonly crossFile: boolean,
  ) {}

  /** What the receiver of `.generate(...)` is. */
  receiver(expr: ts.Expression): Verdict {
    const cached = this.verdicts.get(expr);
    if (cached) return cached;
    if (this.inProgress.has(expr)) return UNKNOWN;
    this.inProgress.add(expr);
    let verdict = this.classify(expr);
    if (verdict.kind === "unknown" && this.crossFile) verdict = this.fromType(expr) ?? verdict;
    this.inProgress.delete(expr);
    this.verdicts.set(expr, verdict);
    return verdict;
  }

  /** True when the expression denotes the cohere-ai module object. */
  isCohereModule(expr: ts.Expression): boolean {
    const e = skipOuter(expr);
    if (ts.isCallExpression(e)) return isCohereRequire(e);
    if (ts.isAwaitExpression(e)) return this.isCohereModule(e.expression);
    if (ts.isIdentifier(e)) {
      const named = this.name(e);
      if (named.kind === "cohere-export") return named.name === "*";
      if (named.kind === "declaration" && ts.isVariableDeclaration(named.node) && named.node.initializer) {
        return this.isCohereModule(named.node.initializer);
      }
    }
    return false;
  }

  /** The client kind a class expression constructs (`CohereClient`, `cohere.CohereClientV2`). */
  classKind(expr: ts.Expression): Verdict {
    const e = skipOuter(expr);
    if (ts.isPropertyAccessExpression(e)) {
      if (this.isCohereModule(e.expression)) return clientOf(e.name.text);
      return this.crossFile ? NOT : UNKNOWN;
    }
    if (!ts.isIdentifier(e)) return NOT;
    const named = this.name(e);
    switch (named.kind) {
      case "cohere-export":
        return clientOf(named.name);
      case "unresolved":
        return named.crossFile ? UNKNOWN_CROSS_FILE : NOT;
      case "none":
        return NOT;
      case "declaration": {
        const decl = named.node;
        if (ts.isVariableDeclaration(decl) && decl.initializer) return this.classKind(decl.initializer);
        // Handles: (Client: typeof import("cohere-ai").CohereClient) => new Client(...)
        if (ts.isParameter(decl) || ts.isPropertyDeclaration(decl) || ts.isVariableDeclaration(decl)) {
          const type = declaredType(decl);
          if (type) return this.classTypeKind(type);
        }
        if (ts.isClassDeclaration(decl) || ts.isClassExpression(decl)) {
          // Handles: class MyClient extends CohereClient {}
          const base = extendsExpression(decl);
          const kind = base ? this.classKind(base) : NOT;
          // Handles: class AuditedClient extends CohereClient { generate(req) { ...; return super.generate(...) } }:
          // its own generate (a prompt prefix, an audit log) would be skipped by a Chat call: possible, left to a person.
          if (kind.kind === "client" && decl.members.some((m) => m.name !== undefined && ts.isIdentifier(m.name) && m.name.text === "generate")) return UNKNOWN;
          return kind;
        }
        return NOT;
      }
    }
  }

  /** The client kind a class type names: `typeof CohereClient`, `typeof import("cohere-ai").CohereClient`. */
  classTypeKind(type: ts.TypeNode): Verdict {
    if (ts.isParenthesizedTypeNode(type)) return this.classTypeKind(type.type);
    if (ts.isUnionTypeNode(type)) return either(type.types.filter((t) => !isNullishType(t)).map((t) => this.classTypeKind(t)));
    if (ts.isImportTypeNode(type) && type.isTypeOf) return cohereImportType(type);
    if (ts.isTypeQueryNode(type)) return ts.isIdentifier(type.exprName) ? this.classKind(type.exprName) : NOT;
    if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
      const named = this.name(type.typeName);
      if (named.kind === "declaration" && ts.isTypeAliasDeclaration(named.node)) return this.classTypeKind(named.node.type);
    }
    return NOT;
  }

  /** The client kind a type annotation names (`CohereClient`, `cohere.CohereClientV2 | undefined`). */
  typeKind(type: ts.TypeNode): Verdict {
    if (ts.isParenthesizedTypeNode(type)) return this.typeKind(type.type);
    // Handles (JSDoc): {?CohereClient}, {!CohereClient}, {CohereClient=}
    if (ts.isJSDocNullableType(type) || ts.isJSDocNonNullableType(type) || ts.isJSDocOptionalType(type)) return this.typeKind(type.type);
    // JSDoc's any: {*}, {?}, and {Object} / {object}, which JavaScript reads as any.
    if (ts.isJSDocAllType(type) || ts.isJSDocUnknownType(type)) return UNKNOWN;
    if (isJavaScript(type) && (type.kind === ts.SyntaxKind.ObjectKeyword || (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === "Object" && !type.typeArguments))) return UNKNOWN;
    // Handles: client?: import("cohere-ai").CohereClient (the optional-peer-dependency pattern).
    if (ts.isImportTypeNode(type)) return type.isTypeOf ? NOT : cohereImportType(type);
    if (ts.isUnionTypeNode(type)) return either(type.types.filter((t) => !isNullishType(t)).map((t) => this.typeKind(t)));
    if (type.kind === ts.SyntaxKind.AnyKeyword || type.kind === ts.SyntaxKind.UnknownKeyword) return UNKNOWN;
    if (ts.isLiteralTypeNode(type) || type.kind === ts.SyntaxKind.UndefinedKeyword) return NOT;
    if (ts.isTypeReferenceNode(type)) {
      const typeName = type.typeName;
      if (ts.isQualifiedName(typeName)) {
        return this.isCohereModuleName(typeName.left) ? clientOf(typeName.right.text) : NOT;
      }
      if (typeName.text === "InstanceType") {
        // Handles: InstanceType<typeof import("cohere-ai").CohereClient>, InstanceType<typeof CohereClient>
        const arg = type.typeArguments?.[0];
        return arg ? this.classTypeKind(arg) : NOT;
      }
      if (typeName.text === "Promise" || typeName.text === "Awaited") {
        // Handles: async getClient(): Promise<CohereClient>, awaited by the caller.
        const arg = type.typeArguments?.[0];
        return arg ? this.typeKind(arg) : NOT;
      }
      const named = this.name(typeName);
      if (named.kind === "cohere-export") return clientOf(named.name);
      if (named.kind === "unresolved") return named.crossFile ? UNKNOWN_CROSS_FILE : NOT;
      if (named.kind === "declaration" && ts.isTypeAliasDeclaration(named.node)) return this.typeKind(named.node.type);
      if (named.kind === "declaration" && ts.isClassDeclaration(named.node)) return this.classKind(named.node.name ?? typeName);
      return NOT;
    }
    if (ts.isTypeQueryNode(type)) return NOT;
    return NOT;
  }

  private isCohereModuleName(name: ts.EntityName): boolean {
    if (!ts.isIdentifier(name)) return false;
    const named = this.name(name);
    return named.kind === "cohere-export" && named.name === "*";
  }

  private classify(expr: ts.Expression): Verdict {
    const e = skipOuter(expr);
    if (ts.isAwaitExpression(e)) return this.receiver(e.expression);
    if (ts.isAsExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) {
      const asType = this.typeKind(e.type);
      return asType.kind === "not" ? this.receiver(e.expression) : asType;
    }
    if (ts.isNewExpression(e)) return this.classKind(e.expression);
    if (ts.isIdentifier(e)) return this.identifier(e);
    if (e.kind === ts.SyntaxKind.ThisKeyword) return this.thisValue(e);
    if (ts.isPropertyAccessExpression(e)) {
      const v = this.property(e);
      // Handles: clients.main with clients: Record<string, CohereClient>.
      return v.kind === "unknown" ? this.elementOf(e.expression, v) : v;
    }
    // Handles: clients["main"], pool[0], with clients: Record<string, CohereClient>, pool: CohereClient[].
    if (ts.isElementAccessExpression(e)) return this.elementOf(e.expression, UNKNOWN);
    if (ts.isCallExpression(e)) {
      // Handles: byName.get("main") with byName: Map<string, CohereClient>.
      const callee = skipOuter(e.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === "get") {
        const element = this.elementOf(callee.expression, UNKNOWN, true);
        if (element.kind === "client") return element;
      }
      return this.callResult(e);
    }
    if (ts.isConditionalExpression(e)) return either([e.whenTrue, e.whenFalse].filter((b) => !isNullishValue(b)).map((b) => this.receiver(b)));
    if (ts.isBinaryExpression(e) && isFallbackOperator(e.operatorToken.kind)) {
      return combine([this.receiver(e.left), this.receiver(e.right)]);
    }
    if (ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e) || ts.isLiteralExpression(e)) return NOT;
    return UNKNOWN;
  }

  private identifier(id: ts.Identifier): Verdict {
    const named = this.name(id);
    switch (named.kind) {
      case "cohere-export":
        return named.name === "*" ? { kind: "module" } : NOT;
      case "unresolved":
        return named.crossFile ? UNKNOWN_CROSS_FILE : NOT;
      case "none":
        return UNKNOWN;
      case "declaration":
        return this.declaration(named.node, id);
    }
  }

  /**
   * One element of a collection whose declared type says what it holds (`Record<string, CohereClient>`,
   * `CohereClient[]`, `Array<...>`, and with `map`, `Map<K, CohereClient>`): a client, or `otherwise`.
   */
  private elementOf(collection: ts.Expression, otherwise: Verdict, map = false): Verdict {
    const e = skipOuter(collection);
    let decl: ts.Declaration | undefined;
    if (ts.isIdentifier(e)) {
      const named = this.name(e);
      if (named.kind === "declaration") decl = named.node;
    } else if (ts.isPropertyAccessExpression(e)) {
      const symbol = this.checker.getSymbolAtLocation(e.name);
      decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    }
    const type = decl && (ts.isVariableDeclaration(decl) || ts.isParameter(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertySignature(decl)) ? declaredType(decl) : undefined;
    let element: ts.TypeNode | undefined;
    if (type && !map && ts.isArrayTypeNode(type)) element = type.elementType;
    else if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
      const args = type.typeArguments ?? [];
      const name = type.typeName.text;
      if (!map && (name === "Array" || name === "ReadonlyArray")) element = args[0];
      else if (!map && name === "Record") element = args[1];
      else if (map && (name === "Map" || name === "ReadonlyMap")) element = args[1];
    }
    // Handles: const byName = new Map<string, CohereClient>(...)
    const init = !type && decl && ts.isVariableDeclaration(decl) && decl.initializer ? skipOuter(decl.initializer) : undefined;
    if (map && init && ts.isNewExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === "Map") element = init.typeArguments?.[1];
    const kind = element ? this.typeKind(element) : undefined;
    return kind?.kind === "client" ? kind : otherwise;
  }

  /** The verdict for a value declared by `decl` (a variable, parameter, property, ...). */
  private declaration(decl: ts.Declaration, use?: ts.Identifier): Verdict {
    // Handles: for (const c of pool) with pool: CohereClient[].
    if (ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && ts.isForOfStatement(decl.parent.parent) && !decl.type) {
      return this.elementOf(decl.parent.parent.expression, UNKNOWN);
    }
    if (ts.isVariableDeclaration(decl)) {
      const type = declaredType(decl);
      // Handles: const cohere: LLM = new CohereClient(...), LLM the app's own interface: the value is a
      // client, but a Chat call would not type-check on LLM: possible, for a person.
      if (type && decl.initializer && ts.isNewExpression(skipOuter(decl.initializer)) && this.typeKind(type).kind !== "client" && this.receiver(decl.initializer).kind === "client") return UNKNOWN;
      if (type) return this.typeKind(type);
      const verdicts: Verdict[] = [];
      if (decl.initializer) verdicts.push(this.receiver(decl.initializer));
      // Handles: let client; client = new CohereClient(...)
      if (!decl.initializer || !isConst(decl)) verdicts.push(...this.assignedValues(decl, use));
      return verdicts.length ? combine(verdicts) : UNKNOWN;
    }
    if (ts.isParameter(decl)) {
      const type = declaredType(decl);
      if (type) return this.typeKind(type);
      if (decl.initializer) return this.receiver(decl.initializer);
      return UNKNOWN;
    }
    if (ts.isBindingElement(decl)) return this.bindingFromObject(decl);
    if (ts.isPropertyDeclaration(decl) || ts.isPropertySignature(decl)) {
      const type = declaredType(decl);
      if (type) return this.typeKind(type);
      if (ts.isPropertyDeclaration(decl) && decl.initializer) return this.receiver(decl.initializer);
      return ts.isPropertyDeclaration(decl) ? this.classMemberAssignments(decl) : UNKNOWN;
    }
    if (ts.isPropertyAssignment(decl)) return this.receiver(decl.initializer);
    if (ts.isShorthandPropertyAssignment(decl)) {
      const sym = this.checker.getShorthandAssignmentValueSymbol(decl);
      const target = sym?.valueDeclaration ?? sym?.declarations?.[0];
      return target ? this.declaration(target) : UNKNOWN;
    }
    if (ts.isGetAccessorDeclaration(decl)) {
      const type = declaredReturnType(decl);
      return type ? this.typeKind(type) : this.returnedValues(decl);
    }
    if (ts.isExportAssignment(decl)) return this.receiver(decl.expression);
    // Handles (CommonJS): exports.client = ..., module.exports.client = ..., module.exports = ...
    const assignment = ts.isPropertyAccessExpression(decl) || ts.isIdentifier(decl) ? decl.parent : decl;
    if (ts.isBinaryExpression(assignment) && assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken) return this.receiver(assignment.right);
    if (
      ts.isFunctionDeclaration(decl) ||
      ts.isClassDeclaration(decl) ||
      ts.isMethodDeclaration(decl) ||
      ts.isEnumDeclaration(decl) ||
      ts.isModuleDeclaration(decl) ||
      ts.isInterfaceDeclaration(decl)
    ) {
      return NOT;
    }
    return UNKNOWN;
  }

  /** Handles: const { client } = deps (resolved only through the checker's type of `deps`). */
  private bindingFromObject(be: ts.BindingElement): Verdict {
    const pattern = be.parent;
    const holder = pattern.parent;
    // Handles: const [first] = pool with pool: CohereClient[].
    if (ts.isArrayBindingPattern(pattern) && ts.isVariableDeclaration(holder) && holder.initializer && !be.dotDotDotToken) return this.elementOf(holder.initializer, UNKNOWN);
    const key = be.propertyName && ts.isIdentifier(be.propertyName) ? be.propertyName.text : be.name.getText();
    if (ts.isObjectBindingPattern(pattern) && ts.isVariableDeclaration(holder) && holder.initializer) {
      const source = skipOuter(holder.initializer);
      if (ts.isObjectLiteralExpression(source)) {
        for (const p of source.properties) {
          if (p.name && ts.isIdentifier(p.name) && p.name.text === key) return this.declaration(p);
        }
        return NOT;
      }
      // Handles: function f(deps: { co: CohereClient }) { const { co } = deps; ... }
      if (ts.isIdentifier(source)) {
        const named = this.name(source);
        // Handles: import { services } from "./clients"; const { cohere } = services (answered across files).
        if (named.kind === "unresolved") return named.crossFile ? UNKNOWN_CROSS_FILE : NOT;
        const type = named.kind === "declaration" && (ts.isParameter(named.node) || ts.isVariableDeclaration(named.node)) ? named.node.type : undefined;
        const member = type && ts.isTypeLiteralNode(type) ? type.members.find((m) => ts.isPropertySignature(m) && m.name.getText() === key) : undefined;
        if (member && ts.isPropertySignature(member) && member.type) return this.typeKind(member.type);
      }
    }
    // Handles: function f({ co }: { co: CohereClient })
    if (ts.isObjectBindingPattern(pattern) && ts.isParameter(holder) && holder.type && ts.isTypeLiteralNode(holder.type)) {
      const member = holder.type.members.find((m) => ts.isPropertySignature(m) && m.name.getText() === key);
      if (member && ts.isPropertySignature(member) && member.type) return this.typeKind(member.type);
    }
    // Handles: ({ cohere }: App) => ..., const { cohere } = app (app: App), with App an interface or
    // class declaring `cohere: CohereClient`: the member's declared type, through the checker.
    if (ts.isObjectBindingPattern(pattern) && (ts.isParameter(holder) || ts.isVariableDeclaration(holder))) {
      const declared = this.checker.getTypeAtLocation(pattern).getProperty(key)?.valueDeclaration;
      const type = declared && (ts.isPropertySignature(declared) || ts.isPropertyDeclaration(declared)) ? declaredType(declared) : undefined;
      if (type) return this.typeKind(type);
      // Handles: const { cohere } = services, with services = { cohere } in another module (as services.cohere).
      if (declared && (ts.isPropertyAssignment(declared) || ts.isShorthandPropertyAssignment(declared))) return this.declaration(declared);
      // Handles: import * as ai from "./ai"; const { cohere } = ai: the module's own `export const cohere = ...`.
      if (declared && ts.isVariableDeclaration(declared) && ts.isIdentifier(declared.name)) return this.declaration(declared);
      // Handles: ({ cohere }: Deps) => ..., const { cohere } = deps (deps: Deps), Deps an interface of another module.
      if (holder.type && this.typeFromElsewhere(holder.type)) return UNKNOWN_CROSS_FILE;
      if (ts.isVariableDeclaration(holder) && holder.initializer && this.typedElsewhere(holder.initializer)) return UNKNOWN_CROSS_FILE;
    }
    return UNKNOWN;
  }

  private assignedValues(decl: ts.VariableDeclaration, use?: ts.Identifier): Verdict[] {
    if (!ts.isIdentifier(decl.name)) return [];
    const symbol = this.checker.getSymbolAtLocation(decl.name);
    if (!symbol) return [];
    const out: Verdict[] = [];
    const scope = decl.getSourceFile();
    const visit = (node: ts.Node): void => {
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isIdentifier(node.left) &&
        node.left.text === (decl.name as ts.Identifier).text &&
        this.checker.getSymbolAtLocation(node.left) === symbol &&
        node.left !== use
      ) {
        out.push(this.receiver(node.right));
      }
      ts.forEachChild(node, visit);
    };
    visit(scope);
    return out;
  }

  /** `this` inside a class: a client only when the class extends one. */
  private thisValue(node: ts.Node): Verdict {
    const cls = enclosingClass(node);
    if (!cls) return UNKNOWN;
    const base = extendsExpression(cls);
    return base ? notUnlessClient(this.classKind(base)) : NOT;
  }

  private property(pa: ts.PropertyAccessExpression): Verdict {
    const target = skipOuter(pa.expression);
    if (target.kind === ts.SyntaxKind.ThisKeyword) {
      const cls = enclosingClass(pa);
      if (cls) return this.classMember(cls, pa.name.text);
    }
    if (this.isCohereModule(target)) return NOT;
    const symbol = this.checker.getSymbolAtLocation(pa.name);
    const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (decl) return this.declaration(decl);
    // Handles: import * as llm from "./llm"; llm.client.generate(...)
    if (ts.isIdentifier(target)) {
      const named = this.name(target);
      if (named.kind === "unresolved") return named.crossFile ? UNKNOWN_CROSS_FILE : NOT;
    }
    // Handles: require("./client").client, answered across files.
    if (ts.isCallExpression(target) && isLocalRequire(target)) return this.crossFile ? UNKNOWN : UNKNOWN_CROSS_FILE;
    // Handles: deps.cohere, this.deps.cohere with deps: Deps, an interface of another module.
    if (this.typedElsewhere(target)) return UNKNOWN_CROSS_FILE;
    return UNKNOWN;
  }

  /**
   * Whether an object's declared type is a type of another module of the repository, which this
   * file's checker cannot see (`deps: Deps` with `import type { Deps } from "./types"`): what its
   * members are is answered across files.
   */
  private typedElsewhere(expr: ts.Expression): boolean {
    if (this.crossFile) return false;
    const e = skipOuter(expr);
    let decl: ts.Declaration | undefined;
    if (ts.isIdentifier(e)) {
      const named = this.name(e);
      decl = named.kind === "declaration" ? named.node : undefined;
    } else if (ts.isPropertyAccessExpression(e) && skipOuter(e.expression).kind === ts.SyntaxKind.ThisKeyword) {
      const cls = enclosingClass(e);
      decl = cls?.members.find((m) => ts.isPropertyDeclaration(m) && m.name.getText() === e.name.text);
      for (const member of cls?.members ?? []) {
        if (decl || !ts.isConstructorDeclaration(member)) continue;
        decl = member.parameters.find((param) => param.name.getText() === e.name.text && ts.getModifiers(param)?.length);
      }
    }
    const type = decl && (ts.isParameter(decl) || ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) ? decl.type : undefined;
    return type !== undefined && this.typeFromElsewhere(type);
  }

  /** A type reference (`Deps`, `types.Deps`, `Deps | undefined`) to a type imported from another module of the repository. */
  private typeFromElsewhere(type: ts.TypeNode): boolean {
    if (ts.isParenthesizedTypeNode(type)) return this.typeFromElsewhere(type.type);
    if (ts.isUnionTypeNode(type)) return type.types.some((t) => !isNullishType(t) && this.typeFromElsewhere(t));
    if (!ts.isTypeReferenceNode(type)) return false;
    let name: ts.EntityName = type.typeName;
    while (ts.isQualifiedName(name)) name = name.left;
    const named = this.name(name);
    return named.kind === "unresolved" && named.crossFile;
  }

  /** A class member by name: its type, initializer, constructor parameter property or `this.x = ...`. */
  private classMember(cls: ts.ClassLikeDeclaration, name: string): Verdict {
    for (const member of cls.members) {
      if (ts.isPropertyDeclaration(member) && member.name.getText() === name) return this.declaration(member);
      if (ts.isGetAccessorDeclaration(member) && member.name.getText() === name) return this.declaration(member);
      if (ts.isConstructorDeclaration(member)) {
        for (const param of member.parameters) {
          if (param.name.getText() === name && ts.getModifiers(param)?.length) return this.declaration(param);
        }
      }
    }
    // Handles: constructor() { this.client = new CohereClient(...) } in JavaScript.
    const assigned = this.thisAssignments(cls, name);
    if (assigned.length) return combine(assigned);
    const base = extendsExpression(cls);
    return base ? UNKNOWN : NOT;
  }

  private classMemberAssignments(decl: ts.PropertyDeclaration): Verdict {
    const cls = decl.parent;
    if (!ts.isClassLike(cls)) return UNKNOWN;
    const assigned = this.thisAssignments(cls, decl.name.getText());
    return assigned.length ? combine(assigned) : UNKNOWN;
  }

  private thisAssignments(cls: ts.ClassLikeDeclaration, name: string): Verdict[] {
    const out: Verdict[] = [];
    const visit = (node: ts.Node): void => {
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(node.left) &&
        node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
        node.left.name.getText() === name
      ) {
        out.push(this.receiver(node.right));
      }
      // A nested class has its own `this`.
      if (!ts.isClassLike(node) || node === cls) ts.forEachChild(node, visit);
    };
    visit(cls);
    return out;
  }

  /** Handles: getClient().generate(...), where getClient returns a client. */
  private callResult(call: ts.CallExpression): Verdict {
    const callee = skipOuter(call.expression);
    if (ts.isCallExpression(call) && isCohereRequire(call)) return { kind: "module" };
    // Handles: module.exports = { cohere: require("./client") }: the value another module exports.
    if (isLocalRequire(call)) return this.crossFile ? this.requiredValue(call) : UNKNOWN_CROSS_FILE;
    // Handles: useMemo(() => new CohereClient({ token }), [token]), container.get<CohereClient>("cohere"):
    // a function of a package that is handed a client, or told its type, may well return it. Possible.
    if (this.handedAClient(call)) return UNKNOWN;
    let symbol: ts.Symbol | undefined;
    if (ts.isIdentifier(callee)) {
      const named = this.name(callee);
      if (named.kind === "unresolved") return named.crossFile ? UNKNOWN_CROSS_FILE : NOT;
      if (named.kind === "declaration") return this.functionResult(named.node);
      return UNKNOWN;
    }
    if (ts.isPropertyAccessExpression(callee)) symbol = this.checker.getSymbolAtLocation(callee.name);
    const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (decl) return this.functionResult(decl);
    // Handles: import * as clients from "./lib/clients.js" (or its default) then clients.createCohere(),
    // the module another of the repository's: answered across files.
    const object = ts.isPropertyAccessExpression(callee) ? skipOuter(callee.expression) : undefined;
    if (object && ts.isIdentifier(object)) {
      // The module object only (a namespace or default import), not a class imported by name (`Store.fromTexts()`).
      const binding = this.checker.getSymbolAtLocation(object)?.declarations?.[0];
      const wholeModule = binding !== undefined && (ts.isNamespaceImport(binding) || ts.isImportClause(binding));
      const named = wholeModule ? this.name(object) : undefined;
      if (named?.kind === "unresolved" && named.crossFile) return UNKNOWN_CROSS_FILE;
    }
    return UNKNOWN;
  }

  /** What `require("./m")` evaluates to: the value `m` assigns to `module.exports` (or its `export =`). */
  private requiredValue(call: ts.CallExpression): Verdict {
    const moduleSymbol = this.checker.getSymbolAtLocation(call.arguments[0]);
    const exported = moduleSymbol?.exports?.get(ts.InternalSymbolName.ExportEquals);
    const decl = exported?.valueDeclaration ?? exported?.declarations?.[0];
    return decl ? this.declaration(decl) : UNKNOWN;
  }

  private functionResult(decl: ts.Declaration, depth = 0): Verdict {
    let fn: ts.Node = decl;
    if (ts.isVariableDeclaration(decl) && decl.initializer) fn = skipOuter(decl.initializer);
    // Handles (a factory exported by name): module.exports = { getClient }, { getClient: make },
    // exports.getClient = function () {...}, export default factory.
    const exported = depth < 4 ? this.exportedFunction(decl) : undefined;
    if (exported) return exported === decl ? UNKNOWN : this.functionResult(exported, depth + 1);
    if (
      ts.isFunctionDeclaration(fn) ||
      ts.isMethodDeclaration(fn) ||
      ts.isArrowFunction(fn) ||
      ts.isFunctionExpression(fn)
    ) {
      const type = declaredReturnType(fn);
      if (type) return this.typeKind(type);
      return this.returnedValues(fn);
    }
    return UNKNOWN;
  }

  /** The declaration a factory exported under another form stands for, when it is a function or names one. */
  private exportedFunction(decl: ts.Declaration): ts.Declaration | undefined {
    const target = (expr: ts.Expression): ts.Declaration | undefined => {
      const e = skipOuter(expr);
      if (ts.isFunctionExpression(e) || ts.isArrowFunction(e)) return e;
      if (!ts.isIdentifier(e)) return undefined;
      let symbol = this.checker.getSymbolAtLocation(e);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
      return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    };
    if (ts.isShorthandPropertyAssignment(decl)) {
      const symbol = this.checker.getShorthandAssignmentValueSymbol(decl);
      return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    }
    if (ts.isPropertyAssignment(decl)) return target(decl.initializer);
    if (ts.isExportAssignment(decl)) return target(decl.expression);
    const assignment = ts.isPropertyAccessExpression(decl) || ts.isIdentifier(decl) ? decl.parent : undefined;
    if (assignment && ts.isBinaryExpression(assignment) && assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken) return target(assignment.right);
    return undefined;
  }

  private returnedValues(fn: ts.SignatureDeclaration): Verdict {
    if (ts.isArrowFunction(fn) && !ts.isBlock(fn.body)) return this.receiver(fn.body);
    const body = "body" in fn ? fn.body : undefined;
    if (!body) return UNKNOWN;
    const out: Verdict[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isReturnStatement(node) && node.expression) out.push(this.receiver(node.expression));
      if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
    };
    ts.forEachChild(body, visit);
    return out.length ? combine(out) : NOT;
  }

  /** A call given a client type argument, or a function argument that returns a client. */
  private handedAClient(call: ts.CallExpression): boolean {
    if (call.typeArguments?.some((t) => this.typeKind(t).kind === "client")) return true;
    return call.arguments.some((arg) => {
      const fn = skipOuter(arg);
      if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
      if (!ts.isBlock(fn.body)) return this.receiver(fn.body).kind === "client";
      let found = false;
      const visit = (node: ts.Node): void => {
        if (found) return;
        if (ts.isReturnStatement(node) && node.expression && this.receiver(node.expression).kind === "client") found = true;
        if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
      };
      ts.forEachChild(fn.body, visit);
      return found;
    });
  }

  /** Type-based answer, used only when the project sees cohere-ai's declarations. */
  private fromType(expr: ts.Expression): Verdict | undefined {
    const type = this.checker.getTypeAtLocation(expr);
    const symbol = type.getSymbol() ?? type.aliasSymbol;
    if (!symbol) return undefined;
    const decl = symbol.declarations?.[0];
    const file = decl?.getSourceFile().fileName ?? "";
    if (!/[\\/]cohere-ai[\\/]/.test(file)) return undefined;
    const name = symbol.getName();
    if (name === "CohereClientV2") return { kind: "client", client: "v2" };
    if (name === "CohereClient" || name === "CustomClient" || name === "Client") return { kind: "client", client: "v1" };
    return undefined;
  }

  private resolvesIntoProject(symbol: ts.Symbol): boolean {
    if ((symbol.flags & ts.SymbolFlags.Alias) === 0) return false;
    return (this.checker.getImmediateAliasedSymbol(symbol)?.declarations?.length ?? 0) > 0;
  }

  /** Follows an identifier to what it names, through imports and re-exports of repo modules. */
  private name(id: ts.Identifier): Named {
    let symbol = ts.isShorthandPropertyAssignment(id.parent)
      ? this.checker.getShorthandAssignmentValueSymbol(id.parent)
      : this.checker.getSymbolAtLocation(id);
    for (let hops = 0; symbol && hops < 16; hops++) {
      const decl = symbol.declarations?.[0];
      if (!decl) return { kind: "none" };
      if (ts.isExportSpecifier(decl) && !decl.parent.parent.moduleSpecifier) {
        // Handles: export { client } (a local binding exported under a name).
        const local = this.checker.getExportSpecifierLocalTargetSymbol(decl);
        if (!local || local === symbol) return { kind: "none" };
        symbol = local;
        continue;
      }
      const spec = moduleSpecifierOf(decl);
      if (spec === undefined) {
        // Handles: import pkg from "cohere-ai"; const { CohereClient } = pkg (cohere-ai is
        // CommonJS: an ES module takes its classes so), and `const cohere = pkg` (v6's module object).
        const whole = moduleObjectAlias(decl);
        if (whole) {
          const source = this.name(whole.source);
          if (source.kind === "cohere-export" && source.name === "*") return { kind: "cohere-export", name: whole.key };
        }
        return { kind: "declaration", node: decl };
      }
      if (isCohereSpecifier(spec)) return { kind: "cohere-export", name: importedName(decl) };
      // A bare specifier the project resolves into its own files is the repository's too (a
      // workspace package, a tsconfig alias): the project's module resolution only reaches those.
      if (!isRepoSpecifier(spec) && !(this.crossFile && this.resolvesIntoProject(symbol))) return { kind: "unresolved", crossFile: false };
      if (!this.crossFile || (symbol.flags & ts.SymbolFlags.Alias) === 0) return { kind: "unresolved", crossFile: true };
      const next = this.checker.getImmediateAliasedSymbol(symbol);
      if (!next || next === symbol || !next.declarations?.length) return { kind: "unresolved", crossFile: true };
      symbol = next;
    }
    return { kind: "none" };
  }
}

/** `import("cohere-ai").CohereClient` (as a type or, with typeof, as the class). */
/**
 * A declaration's type as written: its annotation, or in a JavaScript file its JSDoc type
 * (`@param {CohereClient} co`, `@type {import("cohere-ai").CohereClient}`), which the compiler
 * reads as the annotation there.
 */
function declaredType(decl: ts.ParameterDeclaration | ts.VariableDeclaration | ts.PropertyDeclaration | ts.PropertySignature): ts.TypeNode | undefined {
  return decl.type ?? (isJavaScript(decl) ? ts.getJSDocType(decl) : undefined);
}

/** A function's declared return type: its annotation, or `@returns {T}` in a JavaScript file. */
function declaredReturnType(fn: ts.SignatureDeclaration): ts.TypeNode | undefined {
  return fn.type ?? (isJavaScript(fn) ? ts.getJSDocReturnType(fn) : undefined);
}

function isJavaScript(node: ts.Node): boolean {
  return (node.getSourceFile().flags & ts.NodeFlags.JavaScriptFile) !== 0;
}

function cohereImportType(type: ts.ImportTypeNode): Verdict {
  const arg = type.argument;
  const spec = ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal) ? arg.literal.text : undefined;
  // The root module under any name (`npm:cohere-ai@7`, an npm alias): the classes are exported there.
  if (spec === undefined || cohereSubpath(spec) !== "" || !type.qualifier || !ts.isIdentifier(type.qualifier)) return NOT;
  return clientOf(type.qualifier.text);
}

function clientOf(name: string): Verdict {
  const client = CLIENT_CLASSES[name];
  return client ? { kind: "client", client } : NOT;
}

function notUnlessClient(v: Verdict): Verdict {
  return v.kind === "client" || v.kind === "unknown" ? v : NOT;
}

/** A client anywhere wins; otherwise any unknown keeps the answer open. */
/**
 * A value that is one of several (a union type, a conditional's branches; null and undefined left
 * out): a Cohere client or another object (`CohereClient | ReplayClient`, `mock ? new Mock() :
 * new CohereClient()`) is not known to be a client: its call is possible, and left as it is.
 */
export function either(verdicts: Verdict[]): Verdict {
  if (verdicts.some((v) => v.kind === "client") && verdicts.some((v) => v.kind === "not")) return UNKNOWN;
  return combine(verdicts);
}

function isNullishType(type: ts.TypeNode): boolean {
  return type.kind === ts.SyntaxKind.UndefinedKeyword || type.kind === ts.SyntaxKind.VoidKeyword || type.kind === ts.SyntaxKind.NeverKeyword || (ts.isLiteralTypeNode(type) && type.literal.kind === ts.SyntaxKind.NullKeyword);
}

function isNullishValue(e: ts.Expression): boolean {
  const inner = skipOuter(e);
  return inner.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(inner) && inner.text === "undefined") || ts.isVoidExpression(inner);
}

export function combine(verdicts: Verdict[]): Verdict {
  const clients = verdicts.filter((v): v is Extract<Verdict, { kind: "client" }> => v.kind === "client");
  // A value that may be either kind of client (a CohereClient or a CohereClientV2) has no one Chat
  // call: `client.v2.chat` fails on the one, `client.chat` means v1 Chat on the other.
  if (clients.some((c) => c.client !== clients[0].client)) return UNKNOWN;
  if (clients.length) return clients[0];
  const unknown = verdicts.find((v) => v.kind === "unknown");
  if (unknown) return verdicts.some((v) => v.kind === "unknown" && v.crossFile) ? UNKNOWN_CROSS_FILE : unknown;
  if (verdicts.some((v) => v.kind === "module")) return { kind: "module" };
  return NOT;
}

export function skipOuter(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

function isFallbackOperator(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.QuestionQuestionToken ||
    kind === ts.SyntaxKind.BarBarToken ||
    kind === ts.SyntaxKind.AmpersandAmpersandToken
  );
}

function isConst(decl: ts.VariableDeclaration): boolean {
  const list = decl.parent;
  return ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
}

/** `require("./x")`: a module of this repository. */
function isLocalRequire(call: ts.CallExpression): boolean {
  const arg = call.arguments[0];
  return ts.isIdentifier(call.expression) && call.expression.text === "require" && arg !== undefined && ts.isStringLiteralLike(arg) && isRepoSpecifier(arg.text);
}

/** `require("cohere-ai")` or `import("cohere-ai")`. */
export function isCohereRequire(call: ts.CallExpression): boolean {
  const arg = call.arguments[0];
  if (!arg || !ts.isStringLiteralLike(arg) || !isCohereSpecifier(arg.text)) return false;
  if (call.expression.kind === ts.SyntaxKind.ImportKeyword) return true;
  return ts.isIdentifier(call.expression) && call.expression.text === "require";
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isClassLike(n)) return n;
    // A plain function has its own `this`; arrow functions see the class's.
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n)) return undefined;
  }
  return undefined;
}

function extendsExpression(cls: ts.ClassLikeDeclaration): ts.Expression | undefined {
  for (const clause of cls.heritageClauses ?? []) {
    if (clause.token === ts.SyntaxKind.ExtendsKeyword) return clause.types[0]?.expression;
  }
  return undefined;
}

/**
 * The module specifier an import-like declaration refers to, or undefined for a local declaration.
 * Handles: import { X } / import X / import * as X / import X = require() / export { X } from /
 * const X = require() (in JavaScript, the checker reports the variable itself).
 */
function moduleSpecifierOf(decl: ts.Declaration): string | undefined {
  const required = requiredSpecifier(decl);
  if (required !== undefined) return required;
  let node: ts.Node = decl;
  if (ts.isImportSpecifier(node)) node = node.parent.parent.parent;
  else if (ts.isNamespaceImport(node)) node = node.parent.parent;
  else if (ts.isImportClause(node)) node = node.parent;
  else if (ts.isExportSpecifier(node)) node = node.parent.parent;
  else if (ts.isImportEqualsDeclaration(node)) {
    const ref = node.moduleReference;
    if (ts.isExternalModuleReference(ref) && ts.isStringLiteralLike(ref.expression)) return ref.expression.text;
    return undefined;
  } else return undefined;
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
    return ts.isStringLiteralLike(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
  }
  return undefined;
}

/**
 * `const { a, b: c } = m` and `const x = m` (a const, m a name): the name m stands for and the
 * key taken from it ("*" for m itself), for a module object bound to m.
 */
function moduleObjectAlias(decl: ts.Declaration): { source: ts.Identifier; key: string } | undefined {
  if (ts.isBindingElement(decl)) {
    // var / let too: a class destructured from a module is not assigned again.
    const holder = decl.parent.parent;
    if (!ts.isObjectBindingPattern(decl.parent) || decl.dotDotDotToken || !ts.isVariableDeclaration(holder) || !holder.initializer) return undefined;
    const init = moduleObjectOf(holder.initializer);
    const key = decl.propertyName ? (ts.isIdentifier(decl.propertyName) || ts.isStringLiteral(decl.propertyName) ? decl.propertyName.text : undefined) : ts.isIdentifier(decl.name) ? decl.name.text : undefined;
    return init && key !== undefined ? { source: init, key: key === "default" ? "*" : key } : undefined;
  }
  if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && decl.initializer && isConst(decl)) {
    const init = moduleObjectOf(decl.initializer);
    return init ? { source: init, key: "*" } : undefined;
  }
  return undefined;
}

/**
 * The name a module object expression stands on: `m`, and the CommonJS interop forms `m.default`,
 * `m.default ?? m`, `m.default || m` (an ES module's import of a CommonJS package).
 */
function moduleObjectOf(expression: ts.Expression): ts.Identifier | undefined {
  const e = skipOuter(expression);
  if (ts.isIdentifier(e)) return e;
  if (ts.isPropertyAccessExpression(e) && e.name.text === "default" && ts.isIdentifier(skipOuter(e.expression))) return skipOuter(e.expression) as ts.Identifier;
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    const left = moduleObjectOf(e.left);
    const right = skipOuter(e.right);
    return left && ts.isIdentifier(right) && right.text === left.text ? left : undefined;
  }
  return undefined;
}

/**
 * Handles: const x = require("m"), const { a, b: c } = require("m"), const { a } = await import("m").
 */
function requiredSpecifier(decl: ts.Declaration): string | undefined {
  let holder: ts.Node = decl;
  if (ts.isBindingElement(decl)) {
    if (!ts.isObjectBindingPattern(decl.parent)) return undefined;
    holder = decl.parent.parent;
  }
  if (!ts.isVariableDeclaration(holder) || !holder.initializer) return undefined;
  let init = skipOuter(holder.initializer);
  if (ts.isAwaitExpression(init)) init = skipOuter(init.expression);
  if (!ts.isCallExpression(init)) return undefined;
  const arg = init.arguments[0];
  const isRequire = ts.isIdentifier(init.expression) && init.expression.text === "require";
  const isImport = init.expression.kind === ts.SyntaxKind.ImportKeyword;
  if ((!isRequire && !isImport) || !arg || !ts.isStringLiteralLike(arg)) return undefined;
  return arg.text;
}

/** The name a declaration imports from its module; "*" for the module object itself. */
function importedName(decl: ts.Declaration): string {
  if (ts.isImportSpecifier(decl) || ts.isExportSpecifier(decl)) {
    // Handles: import { default as pkg } from "cohere-ai": the module object, as a default import.
    const name = (decl.propertyName ?? decl.name).text;
    return name === "default" ? "*" : name;
  }
  if (ts.isBindingElement(decl)) {
    const name = decl.propertyName && ts.isIdentifier(decl.propertyName) ? decl.propertyName.text : decl.name.getText();
    // Handles: const { default: cohere } = await import("cohere-ai"): the default export, as
    // `import cohere from "cohere-ai"` binds it (v6's module object).
    return name === "default" ? "*" : name;
  }
  return "*";
}
