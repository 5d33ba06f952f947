/** The expression language (OpenMM Lepton style): parse, simplify, differentiate, evaluate, generate code. */
export * from './ast.js';
export { parseExpression, type ParseOptions } from './parse.js';
export { simplify, substitute, freeVariables, exprEquals } from './simplify.js';
export { differentiate } from './differentiate.js';
export { evaluate, applyFunction, powInt } from './evaluate.js';
export { erf, erfc } from './erf.js';
export { formatExpression } from './format.js';
export { buildProgram, type Program, type ProgramOptions } from './program.js';
export * from './emit.js';
export { compileFunction, canGenerateCode, type CompiledFunction, type CompileOptions } from './compile.js';
