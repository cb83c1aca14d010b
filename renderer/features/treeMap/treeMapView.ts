import { createViewStore } from "../../state/createViewStore";
import type { MapColouring } from "./treeMapColors";

/** The map's local view state: what colours mean, and a counter the Fit button bumps. */
export const useTreeMapView = createViewStore<{ colouring: MapColouring | null; fitSignal: number }>({ colouring: null, fitSignal: 0 });
