import { describe, expect, it } from "vitest";
import { describeWaveDuration, estimateWave, formatDuration, throughputPresets, describeLearnerWave } from "./throughput";

describe("describeWaveDuration", () => {
  it("says how long a wave takes", () => {
    expect(describeWaveDuration(1800, 60, 10_000, "en")).toBe("1,800 reminders at 60/min take about 30 min.");
    expect(describeWaveDuration(1800, 60, 10_000, "de")).toBe("1.800 Erinnerungen bei 60/min dauern etwa 30 min.");
    expect(describeWaveDuration(1, 60, 100, "en")).toBe("1 reminder at 60/min takes less than a minute.");
    expect(describeWaveDuration(5000, 30, 10_000, "en")).toBe("5,000 reminders at 30/min take about 2 h 47 min.");
    expect(describeWaveDuration(0, 30, 100, "de")).toBe("Keine Erinnerungen zu senden.");
  });

  it("spreads a wave over days when the daily quota is smaller", () => {
    expect(describeWaveDuration(25_000, 30, 10_000, "en")).toBe(
      "25,000 reminders at 30/min are spread over 3 days: at most 10,000 go out per day (about 5 h 34 min of sending each day).",
    );
    expect(describeWaveDuration(2500, 20, 2000, "de")).toBe(
      "2.500 Erinnerungen bei 20/min verteilen sich auf 2 Tage: Pro Tag gehen höchstens 2.000 hinaus (jeweils etwa 1 h 40 min Versand).",
    );
    // The rate itself caps a day: 1/min is at most 1,440 a day.
    expect(estimateWave(3000, 1, 1_000_000)).toMatchObject({ perDay: 1440, days: 3, fitsInOneDay: false });
  });

  it("formats durations", () => {
    expect(formatDuration(0.5, "en")).toBe("less than a minute");
    expect(formatDuration(60, "en")).toBe("about 1 h");
    expect(formatDuration(61, "de")).toBe("etwa 1 h 1 min");
  });
});

describe("throughputPresets", () => {
  it("has the platform relay from configuration and typical provider figures with their source", () => {
    const presets = throughputPresets({ ratePerMinute: 120, dailyQuota: 50_000 });
    const byId = Object.fromEntries(presets.map((p) => [p.id, p]));
    expect(byId.platform_relay).toMatchObject({ ratePerMinute: 120, dailyQuota: 50_000 });
    expect(byId.microsoft_365).toMatchObject({ ratePerMinute: 30, dailyQuota: 10_000 });
    expect(byId.google_workspace).toMatchObject({ dailyQuota: 2000 });
    expect(byId.amazon_ses).toMatchObject({ ratePerMinute: 840 });
    for (const p of presets) {
      expect(p.source.length).toBeGreaterThan(5);
      expect(p.dailyQuota).toBeGreaterThanOrEqual(p.ratePerMinute);
      expect(p.label.de && p.label.en && p.note.de && p.note.en).toBeTruthy();
    }
  });
});

describe("describeLearnerWave", () => {
  it("one reminder to each active learner once there are any, else the example wave, and says which", () => {
    expect(describeLearnerWave(0, 60, 10_000, "de")).toBe("Noch keine aktiven Lernenden, darum ein Beispiel: 1.800 Erinnerungen bei 60/min dauern etwa 30 min.");
    expect(describeLearnerWave(0, 60, 10_000, "en")).toBe("No learner is active yet, so an example: 1,800 reminders at 60/min take about 30 min.");
    expect(describeLearnerWave(1, 60, 10_000, "de")).toBe("Eine Erinnerung an Ihre einzige aktive lernende Person: 1 Erinnerung bei 60/min dauert weniger als eine Minute.");
    expect(describeLearnerWave(1, 60, 10_000, "en")).toBe("One reminder to your only active learner: 1 reminder at 60/min takes less than a minute.");
    expect(describeLearnerWave(240, 60, 10_000, "de")).toBe("Je eine Erinnerung an Ihre 240 aktiven Lernenden: 240 Erinnerungen bei 60/min dauern etwa 4 min.");
    expect(describeLearnerWave(12_000, 60, 10_000, "en")).toBe(
      "One reminder to each of your 12,000 active learners: 12,000 reminders at 60/min are spread over 2 days: at most 10,000 go out per day (about 2 h 47 min of sending each day).",
    );
  });
});
