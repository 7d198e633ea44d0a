import { moreOf, type InterfaceModel, type MemberModel, type MethodModes } from "@varlink-ts/runtime/model";

// What the bridge tells its explorer page about the services behind it: plain JSON, each
// interface in the runtime's model (documentation included), so the page needs no parser and
// reads what every other stage reads. The helpers below read that model for the page.

/** An interface the bridge could describe: its model, and where its text came from. */
export interface DescribedInterface {
  model: InterfaceModel;
  /** The service itself, or a file given to the bridge (--interface-file). */
  source: "service" | "file";
}

export interface ExplorerService {
  name: string;
  /** GetInfo's reply, or why there is none (the service answers, but not GetInfo). */
  info?: { vendor: string; product: string; version: string; url: string; interfaces: string[] };
  infoError?: string;
  /** Why the service cannot be reached (no connection, or no answer in time); then nothing else is known. */
  unreachable?: string;
  interfaces: DescribedInterface[];
  /** Interfaces that could not be described, with the reason. */
  undescribed: Array<{ name: string; reason: string }>;
}

export interface ExplorerModel {
  services: ExplorerService[];
}

export type MethodMember = Extract<MemberModel, { kind: "method" }>;
export type ErrorMember = Extract<MemberModel, { kind: "error" }>;
export type TypeMember = Extract<MemberModel, { kind: "type" }>;

/** Every service has it, and it says the same everywhere. */
export const serviceInterface = "org.varlink.service";

export function methodsOf(model: InterfaceModel): MethodMember[] {
  return model.members.filter((member): member is MethodMember => member.kind === "method");
}

export function errorsOf(model: InterfaceModel): ErrorMember[] {
  return model.members.filter((member): member is ErrorMember => member.kind === "error");
}

/** The type `name` declares in `model`, if it does. */
export function declaredType(model: InterfaceModel, name: string): TypeMember | undefined {
  return model.members.find((member): member is TypeMember => member.kind === "type" && member.name === name);
}

/**
 * How the page offers a method: its annotations, or "supports more" for every method of an
 * interface that annotates none. org.varlink.service annotates nothing, yet none of its methods
 * streams.
 */
export function offeredModes(model: InterfaceModel, method: MethodMember): MethodModes {
  const more = model.name === serviceInterface ? undefined : moreOf(model, method);
  return {
    ...(more !== undefined ? { more } : {}),
    ...(method.modes.upgrade !== undefined ? { upgrade: method.modes.upgrade } : {}),
  };
}
