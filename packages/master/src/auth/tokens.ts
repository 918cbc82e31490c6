import { randomBytes } from "node:crypto";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { AppError, sha256Hex } from "@ha-master/shared";
import { ROLES, type Role } from "../lib/context.js";

const ISSUER = "ha-master";
const AUDIENCE = "ha-master-api";

export interface AccessClaims {
  userId: string;
  username: string;
  role: Role;
}

/** Signs and verifies access tokens (HS256 JWTs) with the master's JWT secret. */
export function accessTokenCodec(secret: string, ttlSeconds: number) {
  const key = new TextEncoder().encode(secret);
  return {
    ttlSeconds,
    async sign(claims: AccessClaims): Promise<string> {
      return new SignJWT({ name: claims.username, role: claims.role })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(claims.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
    },
    /** Throws `unauthenticated` saying why: expired, or not a token this master signed. */
    async verify(token: string): Promise<AccessClaims> {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
        const role = payload.role as Role;
        if (typeof payload.sub !== "string" || typeof payload.name !== "string" || !ROLES.includes(role)) {
          throw new AppError("unauthenticated", "the access token is malformed");
        }
        return { userId: payload.sub, username: payload.name, role };
      } catch (err) {
        if (err instanceof AppError) throw err;
        if (err instanceof joseErrors.JWTExpired) {
          throw new AppError("unauthenticated", "the access token has expired; refresh it or log in again");
        }
        throw new AppError("unauthenticated", "the access token is not valid");
      }
    },
  };
}

export type AccessTokenCodec = ReturnType<typeof accessTokenCodec>;

const REFRESH_PREFIX = "hmr_";

/** A new opaque refresh token; only its hash is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = REFRESH_PREFIX + randomBytes(32).toString("base64url");
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return sha256Hex(token);
}
