#!/usr/bin/env node
// Before packing: the source build becomes the package's prebuilt binary for this platform, with
// the OpenMP runtime it loads through RUNPATH $ORIGIN.
import { stagePrebuilt } from '@brokenrecord/native-common/build';
import { addon } from './addon.mjs';

stagePrebuilt(addon);
