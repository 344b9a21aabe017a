/** Client fingerprints (clientAppUsed, userAgent, deviceDetail) for devices and apps. */

import { type App, APPS } from "./catalog.ts";
import type { Device } from "./tenant.ts";
import type { DeviceDetail } from "./types.ts";

export interface Client {
  clientAppUsed: string;
  userAgent: string;
  deviceDetail: DeviceDetail;
}

function detail(d: Device, browser: string): DeviceDetail {
  return {
    deviceId: d.deviceId,
    displayName: d.displayName,
    operatingSystem: d.operatingSystem,
    browser,
    isCompliant: d.isCompliant,
    isManaged: d.isManaged,
    trustType: d.trustType,
  };
}

function platformToken(d: Device): string {
  switch (d.kind) {
    case "win11":
    case "win10":
      return "Windows NT 10.0; Win64; x64";
    case "mac":
      return "Macintosh; Intel Mac OS X 10_15_7";
    case "linux":
      return "X11; Linux x86_64";
    case "iphone":
      return "iPhone; CPU iPhone OS 26_0 like Mac OS X";
    case "android":
      return "Linux; Android 15; K";
  }
}

/** A browser sign-in from the device's usual browser. */
export function browserClient(d: Device): Client {
  const v = d.browserVersion;
  const p = platformToken(d);
  let ua: string;
  let browser: string;
  switch (d.browser) {
    case "Edge":
      ua =
        `Mozilla/5.0 (${p}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36 Edg/${v}.0.3${v}.61`;
      browser = `Edge ${v}.0.3${v}`;
      break;
    case "Safari":
      ua = `Mozilla/5.0 (${p}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Safari/605.1.15`;
      browser = "Safari 26.1";
      break;
    case "Firefox":
      ua = `Mozilla/5.0 (${p}; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`;
      browser = `Firefox ${v}.0`;
      break;
    case "Mobile Safari":
      ua =
        `Mozilla/5.0 (${p}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Mobile/15E148 Safari/604.1`;
      browser = "Mobile Safari 26.0";
      break;
    case "Chrome Mobile":
      ua = `Mozilla/5.0 (${p}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Mobile Safari/537.36`;
      browser = `Chrome Mobile ${v}.0.0`;
      break;
    default:
      ua = `Mozilla/5.0 (${p}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`;
      browser = `Chrome ${v}.0.0`;
  }
  return { clientAppUsed: "Browser", userAgent: ua, deviceDetail: detail(d, browser) };
}

/** A native (MSAL) client on the device: Teams, Outlook, OneDrive, the broker, Windows itself. */
export function nativeClient(d: Device, app: App): Client {
  const win = d.kind === "win11" || d.kind === "win10";
  let ua: string;
  switch (app.id) {
    case APPS.windowsSignIn.id:
    case APPS.oneDriveSync.id:
      ua = "Windows-AzureAD-Authentication-Provider/1.0";
      break;
    case APPS.teams.id:
      ua = d.kind === "iphone"
        ? "TeamsMobile-iOS"
        : d.kind === "android"
        ? "TeamsMobile-Android"
        : `Mozilla/5.0 (${
          platformToken(d)
        }) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${d.browserVersion}.0.0.0 Safari/537.36 Edg/${d.browserVersion}.0.0.0 Teams/25290.205.3946.7481/49`;
      break;
    case APPS.office.id:
      ua = win
        ? "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.19127; Pro)"
        : "Microsoft Office/16.0 (Macintosh; Mac OS X 15.6; Microsoft Outlook 16.101)";
      break;
    case APPS.outlookMobile.id:
      ua = d.kind === "iphone" ? "Outlook-iOS/2.0" : "Outlook-Android/2.0";
      break;
    case APPS.broker.id:
      ua = d.kind === "iphone"
        ? "Authenticator/6.8.31 (iPhone; iOS 26.0; Scale/3.00)"
        : "Dalvik/2.1.0 (Linux; U; Android 15; SM-S928B Build/AP3A.240905.015.A2)";
      break;
    case APPS.azureCli.id:
      ua = "python/3.12.10 (Linux-6.8.0-1030-azure-x86_64-with-glibc2.39) AZURECLI/2.78.0 (DEB)";
      break;
    case APPS.vsCode.id:
      ua = `Mozilla/5.0 (${
        platformToken(d)
      }) AppleWebKit/537.36 (KHTML, like Gecko) Code/1.105.1 Chrome/138.0.7204.251 Electron/37.6.0 Safari/537.36`;
      break;
    default:
      ua = "";
  }
  const msal = win ? "Rich Client 4.73.1.0" : d.kind === "mac" ? "Rich Client 1.8.2" : "Rich Client 1.9.0";
  return { clientAppUsed: "Mobile Apps and Desktop clients", userAgent: ua, deviceDetail: detail(d, msal) };
}

/** A client the directory knows nothing about (attackers, scripts, unregistered machines). */
export function unknownClient(
  clientAppUsed: string,
  userAgent: string,
  operatingSystem = "",
  browser = "",
): Client {
  return {
    clientAppUsed,
    userAgent,
    deviceDetail: {
      deviceId: "",
      displayName: "",
      operatingSystem,
      browser,
      isCompliant: false,
      isManaged: false,
      trustType: "",
    },
  };
}

/** A legacy protocol client on a known device (the device is not identified by basic auth). */
export function legacyClient(clientAppUsed: string, userAgent: string, operatingSystem = ""): Client {
  return unknownClient(clientAppUsed, userAgent, operatingSystem, "");
}
