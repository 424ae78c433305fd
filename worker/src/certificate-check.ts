import { CertificateRefusedError } from './errors.js';

/** OpenSSL's verdicts on a certificate chain, as Node reports them in `error.code`. */
const CERTIFICATE_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A socket error that is a refused certificate, as a typed error; undefined for any other (those are retried). */
export function certificateRefusal(error: Error & { code?: string }): CertificateRefusedError | undefined {
  return error.code !== undefined && CERTIFICATE_CODES.has(error.code) ? new CertificateRefusedError(error.code, error.message) : undefined;
}
