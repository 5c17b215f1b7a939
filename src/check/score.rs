//! The score: 0 to 100, a grade, and where the points went, by area.
//!
//! Each check is worth a share of its area. A check loses the weights (from the rule catalogue)
//! of its findings, down to zero. A check whose status is `unknown` neither earns nor loses:
//! its points are set aside as unknown and the score is computed over the rest, so a failed
//! lookup never looks like a missing record. When half the points or more are unknown there is
//! no score: the rest is too little to grade a domain on. Checks that do not apply (no sending IP given;
//! the transport and brand checks of a parked domain) are left out of the total.
//!
//! The shares follow what receivers weigh. Authentication decides whether mail is accepted at
//! all (Google, Yahoo and Microsoft require SPF, DKIM and DMARC), so it carries half the points;
//! a missing DMARC record or a permerror SPF costs that area 20 to 30 points, where a missing
//! BIMI record costs 2. Infrastructure (MX, reverse DNS, DNSSEC) and reputation (blocklists)
//! follow; transport security and brand are improvements receivers reward but do not demand.

use serde::Serialize;

use super::{CheckName, Finding, Status};
use crate::catalogue::{self, Area};
use crate::diag::Severity;

/// Points each check is worth, and its area.
pub const SHARES: &[(CheckName, Area, u32)] = &[
    (CheckName::Spf, Area::Authentication, 18),
    (CheckName::Dmarc, Area::Authentication, 20),
    (CheckName::Dkim, Area::Authentication, 12),
    (CheckName::Mx, Area::Infrastructure, 12),
    (CheckName::Dnssec, Area::Infrastructure, 3),
    (CheckName::Ip, Area::Infrastructure, 5),
    (CheckName::Ip, Area::Reputation, 12),
    (CheckName::Reputation, Area::Reputation, 5),
    (CheckName::MtaSts, Area::TransportSecurity, 6),
    (CheckName::TlsRpt, Area::TransportSecurity, 4),
    (CheckName::Bimi, Area::Brand, 5),
];

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaScore {
    pub area: Area,
    /// Points at stake in this area (on the 0-100 scale of the report).
    pub max: f64,
    pub earned: f64,
    pub lost: f64,
    pub unknown: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    /// `None` when no more than half the points could be judged (checks unknown).
    pub score: Option<u32>,
    pub grade: Option<char>,
    /// Points of the 100 that could not be judged because a check was unknown.
    pub unknown_points: f64,
    pub areas: Vec<AreaScore>,
    /// Why the grade was capped below what the points say, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade_cap: Option<String>,
}

/// One check as the score sees it.
pub struct Judged<'a> {
    pub check: CheckName,
    pub area: Area,
    pub status: Status,
    pub applies: bool,
    pub findings: Vec<&'a Finding>,
}

/// The area a finding's points come out of: its rule's, or the check's own area.
fn rule_area(finding: &Finding) -> Option<Area> {
    catalogue::find(finding.code).map(|rule| rule.area)
}

pub fn score(checks: &[Judged<'_>]) -> Score {
    let applicable: u32 = SHARES
        .iter()
        .filter(|(name, area, _)| checks.iter().any(|c| c.check == *name && c.area == *area && c.applies))
        .map(|(_, _, points)| points)
        .sum();
    let scale = if applicable == 0 {
        0.0
    } else {
        100.0 / f64::from(applicable)
    };
    let mut areas: Vec<AreaScore> = Vec::new();
    let mut earned_total = 0.0;
    let mut known_total = 0.0;
    let mut unknown_total = 0.0;
    for (name, area, points) in SHARES {
        let Some(judged) = checks.iter().find(|c| c.check == *name && c.area == *area && c.applies) else {
            continue;
        };
        let max = f64::from(*points) * scale;
        let entry = match areas.iter_mut().position(|a| a.area == *area) {
            Some(index) => &mut areas[index],
            None => {
                areas.push(AreaScore {
                    area: *area,
                    max: 0.0,
                    earned: 0.0,
                    lost: 0.0,
                    unknown: 0.0,
                });
                let last = areas.len() - 1;
                &mut areas[last]
            }
        };
        entry.max += max;
        if judged.status == Status::Unknown {
            entry.unknown += max;
            unknown_total += max;
            continue;
        }
        let lost_points: f64 = judged
            .findings
            .iter()
            .filter(|f| rule_area(f).is_none_or(|a| a == *area || a == Area::None))
            .map(|f| f64::from(catalogue::find(f.code).map_or(0, |r| r.weight)))
            .sum::<f64>()
            * scale;
        let lost = lost_points.min(max);
        entry.earned += max - lost;
        entry.lost += lost;
        earned_total += max - lost;
        known_total += max;
    }
    let raw = if known_total > 0.0 {
        earned_total / known_total * 100.0
    } else {
        0.0
    };
    let score = raw.round().clamp(0.0, 100.0) as u32;
    let mut grade = grade_for(score);
    let mut grade_cap = None;
    // An error in authentication means mail is likely rejected or junked whatever else is right.
    let auth_error = checks
        .iter()
        .filter(|c| c.applies && c.area == Area::Authentication)
        .flat_map(|c| c.findings.iter())
        .find(|f| f.severity == Severity::Error && rule_area(f) == Some(Area::Authentication));
    if let Some(finding) = auth_error {
        if grade < 'C' {
            grade = 'C';
            grade_cap = Some(format!(
                "an authentication error ({}) caps the grade at C",
                finding.code
            ));
        }
    }
    for area in &mut areas {
        area.max = round1(area.max);
        area.earned = round1(area.earned);
        area.lost = round1(area.lost);
        area.unknown = round1(area.unknown);
    }
    // A score from a few checks says little and reads as a verdict on the whole domain: with
    // every lookup of the domain's own names failed and only its reputation answered, it
    // was "A, 100". The score is given only when more than half the points could be judged.
    let judged = known_total > 0.0 && known_total > unknown_total;
    Score {
        score: judged.then_some(score),
        grade: judged.then_some(grade),
        unknown_points: round1(unknown_total),
        areas,
        grade_cap,
    }
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// A: 90 and up, B: 80, C: 65, D: 50, F below.
pub fn grade_for(score: u32) -> char {
    match score {
        90.. => 'A',
        80..=89 => 'B',
        65..=79 => 'C',
        50..=64 => 'D',
        _ => 'F',
    }
}
