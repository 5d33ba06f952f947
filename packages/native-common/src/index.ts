export {
  BUILD_TOOLS_HINT,
  addonCandidates,
  loadAddonFile,
  missingAddonReason,
  prebuiltPath,
  readBuildStatus,
  sourceBuildPath,
  type AddonCandidate,
  type AddonOrigin,
  type AddonSpec,
  type BuildStatus,
} from './addon.js';
export { probeInChild, type ChildProbeOptions } from './child-probe.js';
export { DIAGNOSTICS_SLOTS, readNativeDiagnostics, type NativeDiagnostics } from './diagnostics.js';
export { linuxLibc, platformTag } from './platform.js';
export { selectAddon, type AddonRejection, type SelectedAddon } from './select.js';
