export { IssuedToken, TokenName, readIssuedTokens, tokenDigest, tokenStorePath } from './store.js';
export { issueToken, isLive, revokeToken } from './issue.js';
