export { AtsSimulator, startAtsSimulator } from './ats-simulator';
export { DEFAULT_REPORT_PATH, type AtsSimulatorOptions, type BurstOptions, type WindowBounds } from './ats-simulator.options';
export type { FailureHook, FailureReply, FailureWindow, WindowRequestRecord } from './report-endpoint';
export { normaliseEmail, type SimCandidate } from './sim-candidate';
export { formatIsoMoment, parseIsoMoment, type ParsedMoment } from './iso-moment';
