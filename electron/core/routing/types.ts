// The routing simulator's types live in electron/shared/routing.ts (the contract and the renderer use them too).
export type * from '../../shared/routing.ts';
