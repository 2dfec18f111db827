export { CreationApiStub, startCreationApiStub } from './creation-api-stub';
export type {
  CreatedCandidate, CreationApiCall, CreationApiStubOptions, CreationResponder, IncomingCreationCall, StubReply,
} from './creation-api-stub.types';
export type { CreationRequestBody } from './creation-request';
