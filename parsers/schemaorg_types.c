/* SPDX-License-Identifier: MIT */
/*
 * The schema.org LocalBusiness types (schema.org 26, the LocalBusiness
 * tree with every subtype), for the schemaorg parser: a JSON-LD or
 * microdata item of one of these types is a business. The record carries
 * the type name ("Bakery") as a category; which OpenStreetMap tag it means
 * is said by data/categories.tsv, like every other category word, so
 * partner cities can change it. The table is sorted by name (a unit test
 * checks), and looked up by binary search.
 */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "parsers/schemaorg.h"

static const struct cd_schema_type types[] = {
    { "AccountingService" },
    { "AdultEntertainment" },
    { "AmusementPark" },
    { "AnimalShelter" },
    { "ArchiveOrganization" },
    { "ArtGallery" },
    { "Attorney" },
    { "AutoBodyShop" },
    { "AutoDealer" },
    { "AutoPartsStore" },
    { "AutoRental" },
    { "AutoRepair" },
    { "AutoWash" },
    { "AutomatedTeller" },
    { "AutomotiveBusiness" },
    { "Bakery" },
    { "BankOrCreditUnion" },
    { "BarOrPub" },
    { "BeautySalon" },
    { "BedAndBreakfast" },
    { "BikeStore" },
    { "BookStore" },
    { "BowlingAlley" },
    { "Brewery" },
    { "CafeOrCoffeeShop" },
    { "Campground" },
    { "Casino" },
    { "ChildCare" },
    { "ClothingStore" },
    { "ComedyClub" },
    { "ComputerStore" },
    { "ConvenienceStore" },
    { "DaySpa" },
    { "Dentist" },
    { "DepartmentStore" },
    { "Distillery" },
    { "DryCleaningOrLaundry" },
    { "Electrician" },
    { "ElectronicsStore" },
    { "EmergencyService" },
    { "EmploymentAgency" },
    { "EntertainmentBusiness" },
    { "ExerciseGym" },
    { "FastFoodRestaurant" },
    { "FinancialService" },
    { "FireStation" },
    { "Florist" },
    { "FoodEstablishment" },
    { "FurnitureStore" },
    { "GardenStore" },
    { "GasStation" },
    { "GeneralContractor" },
    { "GolfCourse" },
    { "GovernmentOffice" },
    { "GroceryStore" },
    { "HVACBusiness" },
    { "HairSalon" },
    { "HardwareStore" },
    { "HealthAndBeautyBusiness" },
    { "HealthClub" },
    { "HobbyShop" },
    { "HomeAndConstructionBusiness" },
    { "HomeGoodsStore" },
    { "Hospital" },
    { "Hostel" },
    { "Hotel" },
    { "HousePainter" },
    { "IceCreamShop" },
    { "InsuranceAgency" },
    { "InternetCafe" },
    { "JewelryStore" },
    { "LegalService" },
    { "Library" },
    { "LiquorStore" },
    { "LocalBusiness" },
    { "Locksmith" },
    { "LodgingBusiness" },
    { "MedicalBusiness" },
    { "MedicalClinic" },
    { "MensClothingStore" },
    { "MobilePhoneStore" },
    { "Motel" },
    { "MotorcycleDealer" },
    { "MotorcycleRepair" },
    { "MovieRentalStore" },
    { "MovieTheater" },
    { "MovingCompany" },
    { "MusicStore" },
    { "NailSalon" },
    { "NightClub" },
    { "Notary" },
    { "OfficeEquipmentStore" },
    { "Optician" },
    { "OutletStore" },
    { "PawnShop" },
    { "PetStore" },
    { "Pharmacy" },
    { "Physician" },
    { "Physiotherapy" },
    { "Plumber" },
    { "PoliceStation" },
    { "PostOffice" },
    { "ProfessionalService" },
    { "PublicSwimmingPool" },
    { "RadioStation" },
    { "RealEstateAgent" },
    { "RecyclingCenter" },
    { "Resort" },
    { "Restaurant" },
    { "RoofingContractor" },
    { "SelfStorage" },
    { "ShoeStore" },
    { "ShoppingCenter" },
    { "SkiResort" },
    { "SportingGoodsStore" },
    { "SportsActivityLocation" },
    { "SportsClub" },
    { "StadiumOrArena" },
    { "Store" },
    { "TattooParlor" },
    { "TelevisionStation" },
    { "TennisComplex" },
    { "TireShop" },
    { "TouristInformationCenter" },
    { "ToyStore" },
    { "TravelAgency" },
    { "VacationRental" },
    { "WholesaleStore" },
    { "Winery" },
};

static int cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const struct cd_schema_type *)elem)->name);
}

const struct cd_schema_type *cd_schema_type_find(const char *name,
                                                 size_t n)
{
    char buf[64];
    size_t i;

    for(i = n; i > 0; i--)
        if(name[i - 1] == '/' || name[i - 1] == '#' || name[i - 1] == ':')
            break;
    name += i;
    n -= i;
    if(!n || n >= sizeof(buf))
        return NULL;
    memcpy(buf, name, n);
    buf[n] = '\0';
    return bsearch(buf, types, CD_ARRAY_SIZE(types), sizeof(types[0]),
                   cmp);
}

const struct cd_schema_type *cd_schema_types(size_t *n)
{
    *n = CD_ARRAY_SIZE(types);
    return types;
}
