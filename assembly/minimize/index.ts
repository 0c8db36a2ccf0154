// Energy minimisation: pair forces on a Verlet list (forces.ts) and FIRE (fire.ts).
// Every exported name is prefixed `min`/`MIN_`.
export * from "./forces";
export * from "./fire";
export * from "./lbfgs";
