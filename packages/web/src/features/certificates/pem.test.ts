import { describe, expect, it } from "vitest";
import { nameFromFile, splitPem } from "./pem";

const cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
const key = "-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----";

describe("splitPem", () => {
  it("separates a combined file into the chain and the key", () => {
    expect(splitPem(`${cert}\n${key}\n${cert}\n`)).toEqual({ certificates: `${cert}\n${cert}\n`, key: `${key}\n` });
  });
  it("finds nothing in text that is not PEM", () => {
    expect(splitPem("hello")).toEqual({ certificates: "", key: "" });
  });
});

describe("nameFromFile", () => {
  it("drops the extension and characters a bundle path cannot hold", () => {
    expect(nameFromFile("edge.example.com.crt")).toBe("edge.example.com");
    expect(nameFromFile("my cert (1).pem")).toBe("my-cert--1-");
  });
});
