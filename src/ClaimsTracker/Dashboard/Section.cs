namespace ClaimsTracker.Dashboard;

/// <summary>The part of the dashboard a page belongs to, marked as current in the navigation.</summary>
public enum Section { Board, Activity, Sources, Parties, Projections, Docs, SignIn }
