/** The current time in epoch ms; injected so tests can fake time instead of sleeping. */
export const CLOCK = Symbol('CLOCK');
export type Clock = () => number;
