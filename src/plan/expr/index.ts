export type { BinaryOp, Expr } from './ast.js';
export { FUNCTIONS } from './ast.js';
export { parseExpression, printExpression, type ExprSyntaxError } from './parse.js';
export { checkExpression, comparable, showType, type ExprEnv, type ExprType } from './check.js';
export { evaluate } from './eval.js';
