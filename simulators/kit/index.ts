/** The simulator kit: what every vendor simulator is built from (see docs/kit.md). */
export { createSimApp, type SimApp, type SimAppOptions } from './app.ts';
export { newRequestId, sendInvalidToken, sendOAuthError, sendVendorError } from './envelopes.ts';
export { contractLog, type ContractLog, type ContractTolerance } from './contract-log.ts';
export { applyFault, takeFault, type Fault, type FaultHooks } from './faults.ts';
export { registerAuthorizeEndpoint, registerTokenEndpoint, type AuthorizeEndpointOptions, type OAuthClient, type TokenEndpointOptions } from './oauth.ts';
export { OpenApiContract, type ContractRequest, type ContractResponse, type ContractViolation } from './openapi-contract.ts';
export { parseFormData, type FormPart } from './multipart.ts';
export { requestLog, type LoggedRequest, type RequestLog } from './request-log.ts';
export { TokenStore, type TokenGrant, type TokenStoreOptions } from './tokens.ts';
export { generateCa, issueServerCert, type SimCa, type SimCert } from './tls.ts';
