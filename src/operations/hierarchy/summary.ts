// A level or a group as a summary on the wire (HierarchyLevel, HierarchyGroupSummary: the same members).
import type { HierarchyGroupSummary, HierarchyLevel } from "../../model/types.gen.js";
import { timestamp } from "../resolve.js";

interface Named {
  id: string;
  arn: string;
  name: string;
  lastModifiedTime: number;
  lastModifiedRegion: string;
}

export const summaryToWire = (r: Named): HierarchyLevel & HierarchyGroupSummary => ({
  Id: r.id,
  Arn: r.arn,
  Name: r.name,
  LastModifiedTime: timestamp(r.lastModifiedTime),
  LastModifiedRegion: r.lastModifiedRegion,
});
