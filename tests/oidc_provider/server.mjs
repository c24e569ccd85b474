// A real OpenID Connect provider (node's oidc-provider) for the single sign-on browser test.
//
// Configured by environment variables, started by tests/e2e/test_sso.py:
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI  the one client: the application
//   OIDC_ACCOUNTS  JSON {login: {email, email_verified, given_name, family_name}}
// It listens on a free port of 127.0.0.1 and prints "issuer=<url>" once it serves requests.
// The sign-in form is oidc-provider's development interaction: the login names an account of
// OIDC_ACCOUNTS (any password), then a consent page with "Continue".
import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";

import Provider from "oidc-provider";

const required = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
};

const accounts = JSON.parse(required("OIDC_ACCOUNTS"));
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: "jwk" }), kid: "test", use: "sig", alg: "RS256" };

const server = http.createServer();
server.listen(0, "127.0.0.1", () => {
  const issuer = `http://localhost:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: required("OIDC_CLIENT_ID"),
        client_secret: required("OIDC_CLIENT_SECRET"),
        redirect_uris: [required("OIDC_REDIRECT_URI")],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["given_name", "family_name"],
    },
    async findAccount(ctx, id) {
      const claims = accounts[id];
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
  });
  // Plain http on localhost: the test's own network, never a real deployment.
  provider.proxy = false;
  server.on("request", provider.callback());
  console.log(`issuer=${issuer}`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
