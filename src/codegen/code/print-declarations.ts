import { builders, utils, type Doc } from "./doc.js";
import { printDocComment, printLinesAbove, printLinesBelow, printTrailing } from "./print-doc-comment.js";
import type { Declaration, Member, Parameter } from "./ast.js";
import { printAssignment } from "./print-expressions.js";
import { flatIfFits } from "./flat.js";
import { printBlock } from "./print-statements.js";
import { printType } from "./print-types.js";

// Declarations laid out as prettier lays them out, each with its documentation comment.

const { group, hardline, ifBreak, indent, join, line, softline } = builders;

function printParameter(parameter: Parameter): Doc {
  return [
    parameter.name,
    parameter.optional === true ? "?" : "",
    ": ",
    printType(parameter.type, "annotation"),
    parameter.default !== undefined ? ` = ${parameter.default}` : "",
  ];
}

function printParameters(parameters: Parameter[]): Doc {
  if (parameters.length === 0) return "()";
  const printed = parameters.map(printParameter);
  const separated = printed.flatMap((p, index) => (index === 0 ? [p] : [",", line, p]));
  return ["(", indent([softline, ...separated]), ifBreak(","), softline, ")"];
}

/** Parameters and return type: the parameters break first, one per line. */
function printSignature(parameters: Parameter[], returnType: Doc): Doc {
  const parametersDoc = printParameters(parameters);
  const grouped = parameters.length === 1 && utils.willBreak(returnType) ? group(parametersDoc) : parametersDoc;
  return group([grouped, returnType]);
}

function printMember(member: Member): Doc {
  const optional = member.optional === true ? "?" : "";
  // Members sit two columns in.
  if (member.kind === "property") {
    const property = flatIfFits(
      [
        member.readonly === true ? "readonly " : "",
        member.name,
        optional,
        ": ",
        printType(member.type, "annotation"),
        ";",
      ],
      2,
    );
    return [
      printLinesAbove(member.comments?.before),
      printDocComment(member.doc),
      property,
      printTrailing(member.comments),
    ];
  }
  return [
    printDocComment(member.doc),
    flatIfFits(
      [
        member.name,
        optional,
        printSignature(member.parameters, [": ", printType(member.returnType, "annotation")]),
        ";",
      ],
      2,
    ),
  ];
}

const exportKeyword = (exported: boolean): string => (exported ? "export " : "");

/** A declaration with the line comments it carries: above its documentation, at the end of its last line, below it. */
export function printDeclaration(declaration: Declaration): Doc {
  const { comments } = declaration;
  if (comments === undefined) return printBare(declaration);
  return [
    printLinesAbove(comments.before),
    printBare(declaration),
    printTrailing(comments),
    printLinesBelow(comments.after),
  ];
}

function printBare(declaration: Declaration): Doc {
  switch (declaration.kind) {
    case "import-namespace":
      return ["import * as ", declaration.name, " from ", JSON.stringify(declaration.module), ";"];
    case "const": {
      const left: Doc =
        declaration.type === undefined
          ? declaration.name
          : [declaration.name, ": ", printType(declaration.type, "annotation")];
      return [
        printDocComment(declaration.doc),
        exportKeyword(declaration.exported),
        "const ",
        printAssignment(left, " =", declaration.value, "assignment"),
        ";",
      ];
    }
    case "type-alias": {
      // A union that does not hug (`"a" | "b"`) breaks after `=` first, as prettier chooses.
      const typeDoc = printType(declaration.type, "alias", true);
      const isUnion =
        declaration.type.kind === "union" &&
        (declaration.type.types.length > 1 || declaration.type.notes !== undefined);
      const left = group(["type ", declaration.name]);
      const groupId = Symbol("assignment");
      const assignment = isUnion
        ? group([left, " =", group(indent([line, typeDoc]))])
        : group([
            left,
            " =",
            group(indent(line), { id: groupId }),
            builders.lineSuffixBoundary,
            builders.indentIfBreak(typeDoc, { groupId }),
          ]);
      return [printDocComment(declaration.doc), exportKeyword(declaration.exported), assignment, ";"];
    }
    case "interface": {
      const closing = (declaration.closing ?? []).map((text) => `//${text}`);
      const lines = [...declaration.members.map(printMember), ...closing];
      const body = lines.length === 0 ? "{}" : ["{", indent([hardline, join(hardline, lines)]), hardline, "}"];
      return [
        printDocComment(declaration.doc),
        exportKeyword(declaration.exported),
        "interface ",
        declaration.name,
        " ",
        body,
      ];
    }
    case "function":
      return [
        printDocComment(declaration.doc),
        exportKeyword(declaration.exported),
        "function ",
        declaration.name,
        printSignature(declaration.parameters, [": ", printType(declaration.returnType, "annotation")]),
        " ",
        printBlock(declaration.body),
      ];
    case "class": {
      const constants = declaration.constants.map((c) => [
        printAssignment(["static readonly ", c.name], " =", c.value, "assignment"),
        ";",
      ]);
      const constructorText = [
        "constructor",
        printSignature(declaration.constructor.parameters, ""),
        " ",
        printBlock(declaration.constructor.body, 2),
      ];
      const members = [...constants, constructorText];
      return [
        printDocComment(declaration.doc),
        exportKeyword(declaration.exported),
        "class ",
        declaration.name,
        " extends ",
        printType(declaration.extends),
        " ",
        ["{", indent([hardline, join([hardline, hardline], members)]), hardline, "}"],
      ];
    }
  }
}
