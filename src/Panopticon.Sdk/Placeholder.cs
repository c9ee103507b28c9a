namespace Panopticon.Sdk; internal static class Placeholder { }
