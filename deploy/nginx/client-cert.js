// The client certificate as RFC 9440 §2.2 wants it in `Client-Cert`: a Structured Field Byte
// Sequence (RFC 8941 §3.3.5), the base64 of the DER between colons. nginx has the certificate as
// PEM only (`$ssl_client_raw_cert`); the PEM's body is that base64, broken into lines.
function clientCert(r) {
  const pem = r.variables.ssl_client_raw_cert;
  if (!pem) return '';
  return `:${pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '')}:`;
}

export default { clientCert };
